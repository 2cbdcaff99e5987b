//! The first preview of a large baseline JPEG, on every core.
//!
//! A preview at 1/8 of the page's size needs only each 8×8 block's DC
//! coefficient, at 1/4 the 25 coefficients that give the block's four
//! quadrant averages; what costs is reading every Huffman code of the file,
//! which is serial. So the entropy-coded data is cut into one segment per
//! core and each is decoded from its cut as if a block started there.
//! Huffman codes resynchronise: after a short stretch of garbage a
//! segment's decoding falls onto the true block starts. Each segment
//! decodes a little past the next cut and records where every block
//! starts (bit, block of the MCU); the segments are stitched where a
//! block start of one is a block start of the next (the same bit, the same
//! place in the MCU: from there both decode alike), and the DC predictions
//! of the later one shifted by the difference at that point.
//!
//! Only what this decoder is sure of is handled: baseline or extended
//! Huffman, 8-bit, one interleaved scan, grey or YCbCr, no restart
//! markers' resets missed (restart intervals are refused). Anything else,
//! or segments that never meet, returns `None`: the caller decodes the
//! file another way.

/// Where each zigzag position lands in natural (row-major) order.
const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];
/// The frequencies whose average over half a block is not zero.
const HALF_FREQUENCIES: [usize; 5] = [0, 1, 3, 5, 7];
/// A segment decodes this far past the next cut looking for a meeting.
const OVERLAP_BYTES: usize = 32 * 1024;
/// Below this much entropy-coded data one thread does it all.
#[cfg(not(test))]
const PARALLEL_FROM_BYTES: usize = 512 * 1024;
/// (Tests cut small files too.)
#[cfg(test)]
const PARALLEL_FROM_BYTES: usize = 4 * 1024;

/// The preview of `data` (a JPEG file) at 1/8 of its size when that is at
/// least `side` pixels on its longer side, else at 1/4 when that is; with
/// the full size. `None` when the file is not one this decoder reads, or
/// the preview would be smaller than `side` (decode it otherwise).
pub fn preview(data: &[u8], side: u32) -> Option<(image::RgbImage, [u32; 2])> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    preview_in(data, side, cores.min(8))
}

/// [`preview`] with the scan cut into `pieces` segments (at most; one
/// when the data is short).
fn preview_in(data: &[u8], side: u32, pieces: usize) -> Option<(image::RgbImage, [u32; 2])> {
    let jpeg = Jpeg::parse(data)?;
    let longest = jpeg.width.max(jpeg.height);
    let quarter = if longest.div_ceil(8) >= side {
        false
    } else if longest.div_ceil(4) >= side {
        true
    } else {
        return None;
    };
    let blocks = jpeg.decode_blocks(quarter, pieces)?;
    let image = jpeg.assemble(&blocks, quarter)?;
    Some((image, [jpeg.width, jpeg.height]))
}

#[derive(Debug, Clone, Copy)]
struct Component {
    h: usize,
    v: usize,
    quant: usize,
    dc_table: usize,
    ac_table: usize,
}

/// A Huffman table: a 9-bit lookup for short codes, the canonical limits
/// for the rest.
#[derive(Debug, Clone)]
struct Huffman {
    /// `(length << 8) | symbol` for each 9-bit prefix; 0 for longer codes.
    fast: Vec<u16>,
    max_code: [i32; 17],
    first_index: [i32; 17],
    first_code: [i32; 17],
    symbols: Vec<u8>,
}

impl Huffman {
    fn new(counts: &[u8; 16], symbols: &[u8]) -> Option<Self> {
        let mut fast = vec![0u16; 512];
        let mut max_code = [-1i32; 17];
        let mut first_index = [0i32; 17];
        let mut first_code = [0i32; 17];
        let mut code = 0i32;
        let mut index = 0usize;
        for length in 1..=16usize {
            let count = usize::from(counts[length - 1]);
            first_index[length] = index as i32;
            first_code[length] = code;
            for _ in 0..count {
                let symbol = *symbols.get(index)?;
                if length <= 9 {
                    let shift = 9 - length;
                    let start = (code as usize) << shift;
                    for slot in fast.get_mut(start..start + (1 << shift))? {
                        *slot = ((length as u16) << 8) | u16::from(symbol);
                    }
                }
                code += 1;
                index += 1;
            }
            if count > 0 {
                max_code[length] = code - 1;
            }
            if code > 1 << length {
                return None;
            }
            code <<= 1;
        }
        Some(Self {
            fast,
            max_code,
            first_index,
            first_code,
            symbols: symbols.to_vec(),
        })
    }
}

/// Bits of the unstuffed entropy-coded data, most significant first;
/// past the end, zeros. (Its small methods are always inlined: with a
/// plain `#[inline]` the 24 MP preview took 10 % longer, measured.)
struct Bits<'a> {
    data: &'a [u8],
    next: usize,
    buffer: u64,
    count: u32,
}

#[allow(clippy::inline_always)]
impl<'a> Bits<'a> {
    fn at(data: &'a [u8], byte: usize) -> Self {
        Self {
            data,
            next: byte,
            buffer: 0,
            count: 0,
        }
    }

    #[inline(always)]
    fn position(&self) -> u64 {
        self.next as u64 * 8 - u64::from(self.count)
    }

    #[inline]
    fn fill(&mut self) {
        // Eight bytes at once where there are eight.
        if let Some(chunk) = self.data.get(self.next..self.next + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let whole = (64 - self.count) / 8;
            let added = u64::from_be_bytes(word) >> self.count;
            let count = self.count + whole * 8;
            // Keep only whole bytes: the next fill adds below them.
            let mask = if count >= 64 {
                u64::MAX
            } else {
                !(u64::MAX >> count)
            };
            self.buffer |= added & mask;
            self.count = count;
            self.next += whole as usize;
            return;
        }
        while self.count <= 56 {
            let byte = self.data.get(self.next).copied().unwrap_or(0);
            self.buffer |= u64::from(byte) << (56 - self.count);
            self.count += 8;
            self.next += 1;
        }
    }

    #[inline(always)]
    fn peek(&mut self, n: u32) -> u32 {
        if self.count < n {
            self.fill();
        }
        (self.buffer >> (64 - n)) as u32
    }

    #[inline(always)]
    fn skip(&mut self, n: u32) {
        self.buffer <<= n;
        self.count -= n;
    }

    #[inline(always)]
    fn symbol(&mut self, table: &Huffman) -> Option<u8> {
        if self.count < 16 {
            self.fill();
        }
        let entry = table.fast[(self.buffer >> 55) as usize];
        if entry != 0 {
            self.skip(u32::from(entry >> 8));
            return Some(entry as u8);
        }
        for length in 10..=16u32 {
            let code = self.peek(length) as i32;
            let l = length as usize;
            if code <= table.max_code[l] {
                self.skip(length);
                let index = table.first_index[l] + code - table.first_code[l];
                return table.symbols.get(usize::try_from(index).ok()?).copied();
            }
        }
        None
    }

    #[inline(always)]
    fn value(&mut self, size: u8) -> i32 {
        if size == 0 {
            return 0;
        }
        let size = u32::from(size.min(16));
        let bits = self.peek(size) as i32;
        self.skip(size);
        if bits < 1 << (size - 1) {
            bits - (1 << size) + 1
        } else {
            bits
        }
    }
}

/// A frame header: width, height, and the components with their ids.
type Frame = (u32, u32, Vec<(u8, Component)>);

/// A parsed baseline JPEG: its frame, tables and unstuffed scan data.
struct Jpeg {
    width: u32,
    height: u32,
    components: Vec<Component>,
    quant: [[u16; 64]; 4],
    dc: Vec<Option<Huffman>>,
    ac: Vec<Option<Huffman>>,
    /// The entropy-coded data with the 0xFF00 stuffing removed.
    scan: Vec<u8>,
    /// For each block of an MCU, its component.
    mcu_blocks: Vec<usize>,
    mcus_across: usize,
    mcus_down: usize,
    /// Adobe's "no transform": three components that are RGB.
    rgb: bool,
}

/// Blocks in decoding order: what each gives the preview.
#[derive(Debug, Default)]
struct Blocks {
    /// The DC coefficient (not dequantised), the prediction added.
    dc: Vec<i32>,
    /// The quadrants' averages without the DC part (quarter previews
    /// only; empty otherwise).
    quadrants: Vec<[f32; 4]>,
}

/// A segment's decoding: where each block starts (`bit << 8 | block of
/// the MCU`) and the block decoded there.
#[derive(Default)]
struct Segment {
    starts: Vec<u64>,
    blocks: Blocks,
    /// Decoding stepped over an invalid code there (the true stream has
    /// none).
    failed_at: Option<u64>,
}

impl Segment {
    /// The DC prediction of `component` before block `index`: the last
    /// block of that component before it.
    fn prediction(&self, index: usize, component: usize, mcu_blocks: &[usize]) -> i32 {
        (0..index)
            .rev()
            .find(|&k| mcu_blocks.get((self.starts[k] & 0xFF) as usize) == Some(&component))
            .map_or(0, |k| self.blocks.dc[k])
    }
}

impl Jpeg {
    fn parse(data: &[u8]) -> Option<Self> {
        if !data.starts_with(&[0xFF, 0xD8]) {
            return None;
        }
        let mut at = 2;
        let mut frame: Option<Frame> = None;
        let mut quant = [[1u16; 64]; 4];
        let mut dc: Vec<Option<Huffman>> = vec![None, None, None, None];
        let mut ac: Vec<Option<Huffman>> = vec![None, None, None, None];
        let mut rgb = false;
        loop {
            // Markers may be padded with 0xFF.
            while data.get(at) == Some(&0xFF) && data.get(at + 1) == Some(&0xFF) {
                at += 1;
            }
            if *data.get(at)? != 0xFF {
                return None;
            }
            let marker = *data.get(at + 1)?;
            let length = usize::from(u16::from_be_bytes([*data.get(at + 2)?, *data.get(at + 3)?]));
            let body = data.get(at + 4..at + 2 + length)?;
            match marker {
                // Baseline and extended sequential Huffman frames.
                0xC0 | 0xC1 => frame = Some(parse_frame(body)?),
                // Progressive, lossless, arithmetic: not this decoder's.
                0xC2 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return None,
                0xC4 => {
                    let mut rest = body;
                    while !rest.is_empty() {
                        let class_id = rest[0];
                        let counts: [u8; 16] = rest.get(1..17)?.try_into().ok()?;
                        let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
                        let symbols = rest.get(17..17 + total)?;
                        let table = Huffman::new(&counts, symbols)?;
                        let slot = usize::from(class_id & 15);
                        match class_id >> 4 {
                            0 => *dc.get_mut(slot)? = Some(table),
                            1 => *ac.get_mut(slot)? = Some(table),
                            _ => return None,
                        }
                        rest = &rest[17 + total..];
                    }
                }
                0xDB => parse_quant(body, &mut quant)?,
                // A restart interval: its resets are not followed here.
                0xDD if body.get(..2) != Some(&[0, 0][..]) => return None,
                // Adobe: the transform flag says whether 3 components are YCbCr.
                0xEE if body.starts_with(b"Adobe") => rgb = body.get(11) == Some(&0),
                0xDA => {
                    let (width, height, components) = frame?;
                    let count = usize::from(*body.first()?);
                    if count != components.len() {
                        return None;
                    }
                    let mut ordered = Vec::new();
                    for c in 0..count {
                        let spec = body.get(1 + c * 2..3 + c * 2)?;
                        let (_, component) = components.iter().find(|(id, _)| *id == spec[0])?;
                        let mut component = *component;
                        component.dc_table = usize::from(spec[1] >> 4);
                        component.ac_table = usize::from(spec[1] & 15);
                        if component.dc_table > 3 || component.ac_table > 3 {
                            return None;
                        }
                        dc[component.dc_table].as_ref()?;
                        ac[component.ac_table].as_ref()?;
                        ordered.push(component);
                    }
                    let start = at + 2 + length;
                    let scan = unstuff(data.get(start..)?);
                    let h_max = ordered.iter().map(|c| c.h).max()?;
                    let v_max = ordered.iter().map(|c| c.v).max()?;
                    let (mcu_blocks, mcus_across, mcus_down) = if count == 1 {
                        // One component is not interleaved: one block per MCU.
                        ordered[0].h = 1;
                        ordered[0].v = 1;
                        (
                            vec![0],
                            width.div_ceil(8) as usize,
                            height.div_ceil(8) as usize,
                        )
                    } else {
                        let mut blocks = Vec::new();
                        for (index, c) in ordered.iter().enumerate() {
                            blocks.extend(std::iter::repeat_n(index, c.h * c.v));
                        }
                        (
                            blocks,
                            width.div_ceil(8 * h_max as u32) as usize,
                            height.div_ceil(8 * v_max as u32) as usize,
                        )
                    };
                    return Some(Self {
                        width,
                        height,
                        components: ordered,
                        quant,
                        dc,
                        ac,
                        scan,
                        mcu_blocks,
                        mcus_across,
                        mcus_down,
                        rgb,
                    });
                }
                0xD9 => return None,
                _ => {}
            }
            at += 2 + length;
        }
    }

    fn total_blocks(&self) -> usize {
        self.mcus_across * self.mcus_down * self.mcu_blocks.len()
    }

    /// Decodes from byte `from` as if a block started there, until bit
    /// `until` is passed (or `limit` blocks are decoded).
    fn decode_segment(&self, from: usize, until: u64, limit: usize, quarter: bool) -> Segment {
        let mut bits = Bits::at(&self.scan, from);
        let mut segment = Segment::default();
        let expected = limit.min(
            (until
                .min(self.scan.len() as u64 * 8)
                .saturating_sub(from as u64 * 8)
                / 8) as usize
                * limit
                / self.scan.len().max(1)
                + 1024,
        );
        segment.starts.reserve(expected);
        segment.blocks.dc.reserve(expected);
        if quarter {
            segment.blocks.quadrants.reserve(expected);
        }
        let mut predictions = [0i32; 4];
        let mut in_mcu = 0usize;
        let per_mcu = self.mcu_blocks.len();
        let weights = half_weights();
        let end = self.scan.len() as u64 * 8;
        let until = until.min(end);
        let tables: Vec<(&Huffman, &Huffman, usize, usize)> = self
            .mcu_blocks
            .iter()
            .filter_map(|&c| {
                let component = &self.components[c];
                Some((
                    self.dc[component.dc_table].as_ref()?,
                    self.ac[component.ac_table].as_ref()?,
                    c,
                    component.quant,
                ))
            })
            .collect();
        if tables.len() != per_mcu {
            return segment;
        }
        while bits.position() < until && segment.starts.len() < limit {
            let start = bits.position();
            let (dc_table, ac_table, component, quant) = tables[in_mcu];
            let quant = &self.quant[quant];
            let mut coefficients = [0f32; 25];
            let mut any = false;
            let decoded = (|| {
                let size = bits.symbol(dc_table)?;
                if size > 11 {
                    return None;
                }
                let dc = predictions[component] + bits.value(size);
                let mut k = 1;
                while k < 64 {
                    let rs = bits.symbol(ac_table)?;
                    let (run, size) = (usize::from(rs >> 4), rs & 15);
                    if size == 0 {
                        if run == 15 {
                            k += 16;
                            continue;
                        }
                        break;
                    }
                    k += run;
                    if k > 63 {
                        return None;
                    }
                    match QUARTER_SLOTS[k] {
                        Some(slot) if quarter => {
                            let value = bits.value(size);
                            coefficients[slot] = value as f32 * f32::from(quant[k]);
                            any = true;
                        }
                        // Not needed: only its bits are passed over.
                        _ => {
                            bits.peek(u32::from(size));
                            bits.skip(u32::from(size));
                        }
                    }
                    k += 1;
                }
                Some(dc)
            })();
            let Some(dc) = decoded else {
                // Not a true block start: this stretch is garbage. Step a
                // bit and guess a block start again.
                segment.failed_at.get_or_insert(start);
                let mut again = Bits::at(&self.scan, (start / 8) as usize);
                again.fill();
                again.skip((start % 8) as u32 + 1);
                bits = again;
                in_mcu = 0;
                continue;
            };
            predictions[component] = dc;
            segment.starts.push(start << 8 | in_mcu as u64);
            segment.blocks.dc.push(dc);
            if quarter {
                segment.blocks.quadrants.push(if any {
                    quadrant_averages(&coefficients, &weights)
                } else {
                    [0.0; 4]
                });
            }
            in_mcu += 1;
            if in_mcu == per_mcu {
                in_mcu = 0;
            }
        }
        segment
    }

    /// Every block of the scan in decoding order, decoded on the cores.
    fn decode_blocks(&self, quarter: bool, pieces: usize) -> Option<Stitched> {
        let total = self.total_blocks();
        let length = self.scan.len();
        let pieces = if length < PARALLEL_FROM_BYTES {
            1
        } else {
            pieces.max(1)
        };
        let cuts: Vec<usize> = (0..pieces).map(|i| length * i / pieces).collect();
        let segments: Vec<Segment> = std::thread::scope(|scope| {
            let handles: Vec<_> = cuts
                .iter()
                .enumerate()
                .map(|(i, &from)| {
                    let until = cuts.get(i + 1).map_or(u64::MAX, |&next| {
                        ((next + OVERLAP_BYTES).min(length) as u64) * 8
                    });
                    scope.spawn(move || self.decode_segment(from, until, total, quarter))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        stitch(segments, total, &self.mcu_blocks)
    }

    /// The preview image from the blocks.
    fn assemble(&self, blocks: &Stitched, quarter: bool) -> Option<image::RgbImage> {
        let scale = if quarter { 2 } else { 1 };
        let h_max = self.components.iter().map(|c| c.h).max()?;
        let v_max = self.components.iter().map(|c| c.v).max()?;
        let out_w = (self.width as usize).div_ceil(8 / scale);
        let out_h = (self.height as usize).div_ceil(8 / scale);
        // Each component's samples at the preview's scale, in one pass
        // over the blocks.
        let sizes: Vec<(usize, usize)> = self
            .components
            .iter()
            .map(|c| (self.mcus_across * c.h * scale, self.mcus_down * c.v * scale))
            .collect();
        let mut planes: Vec<Vec<u8>> = sizes.iter().map(|(w, h)| vec![128u8; w * h]).collect();
        let bases: Vec<f32> = self
            .components
            .iter()
            .map(|c| f32::from(self.quant[c.quant][0]) / 8.0)
            .collect();
        let per_mcu = self.mcu_blocks.len();
        // For each block of an MCU: its component and its place in the MCU.
        let mut places = Vec::with_capacity(per_mcu);
        let mut seen = vec![0usize; self.components.len()];
        for &component in &self.mcu_blocks {
            let c = &self.components[component];
            let inner = seen[component];
            seen[component] += 1;
            places.push((component, inner % c.h, inner / c.h));
        }
        // (`as` saturates: below 0 is 0, above 255 is 255.)
        let clamp = |v: f32| (v + 0.5) as u8;
        let (mut mx, mut my, mut slot) = (0usize, 0usize, 0usize);
        let mut remaining = self.total_blocks();
        'runs: for (segment, range, shift) in &blocks.runs {
            let segment = &blocks.segments[*segment];
            let quadrants = segment.blocks.quadrants.get(range.clone());
            for (n, &dc) in segment.blocks.dc[range.clone()].iter().enumerate() {
                if remaining == 0 {
                    break 'runs;
                }
                remaining -= 1;
                let (component, dx, dy) = places[slot];
                let c = &self.components[component];
                let (bx, by) = (mx * c.h + dx, my * c.v + dy);
                let across = sizes[component].0;
                let plane = &mut planes[component];
                let base = (dc + shift[component]) as f32 * bases[component] + 128.0;
                if quarter {
                    let q = quadrants
                        .and_then(|q| q.get(n))
                        .copied()
                        .unwrap_or_default();
                    let at = by * 2 * across + bx * 2;
                    if let Some(row) = plane.get_mut(at..at + 2) {
                        row[0] = clamp(base + q[0]);
                        row[1] = clamp(base + q[1]);
                    }
                    if let Some(row) = plane.get_mut(at + across..at + across + 2) {
                        row[0] = clamp(base + q[2]);
                        row[1] = clamp(base + q[3]);
                    }
                } else if let Some(sample) = plane.get_mut(by * across + bx) {
                    *sample = clamp(base);
                }
                slot += 1;
                if slot == per_mcu {
                    slot = 0;
                    mx += 1;
                    if mx == self.mcus_across {
                        mx = 0;
                        my += 1;
                    }
                }
            }
        }
        let mut pixels = vec![0u8; out_w * out_h * 3];
        let row_of = |component: usize, y: usize| -> &[u8] {
            let c = &self.components[component];
            let (across, _) = sizes[component];
            let sy = if c.v < v_max { y / 2 } else { y };
            planes[component]
                .get(sy * across..(sy + 1) * across)
                .unwrap_or_default()
        };
        let halved: Vec<usize> = self
            .components
            .iter()
            .map(|c| usize::from(c.h < h_max))
            .collect();
        let tables = ColourTables::new();
        for (y, out) in pixels.chunks_exact_mut(out_w * 3).enumerate() {
            if self.components.len() == 1 {
                for (pixel, &l) in out.chunks_exact_mut(3).zip(row_of(0, y)) {
                    pixel.fill(l);
                }
                continue;
            }
            let (luma, blue, red) = (row_of(0, y), row_of(1, y), row_of(2, y));
            let (shift_b, shift_r) = (halved[1], halved[2]);
            for (x, pixel) in out.chunks_exact_mut(3).enumerate() {
                let (Some(&l), Some(&b), Some(&r)) =
                    (luma.get(x), blue.get(x >> shift_b), red.get(x >> shift_r))
                else {
                    break;
                };
                if self.rgb {
                    pixel.copy_from_slice(&[l, b, r]);
                } else {
                    pixel.copy_from_slice(&tables.rgb(l, b, r));
                }
            }
        }
        image::RgbImage::from_raw(out_w as u32, out_h as u32, pixels)
    }
}

/// YCbCr to RGB in fixed point (JFIF), as libjpeg does it.
struct ColourTables {
    red_from_cr: [i32; 256],
    blue_from_cb: [i32; 256],
    green_from_cb: [i32; 256],
    green_from_cr: [i32; 256],
}

impl ColourTables {
    fn new() -> Self {
        let scaled = |factor: f64, v: usize| ((v as f64 - 128.0) * factor * 65536.0).round() as i32;
        Self {
            red_from_cr: std::array::from_fn(|v| scaled(1.402, v)),
            blue_from_cb: std::array::from_fn(|v| scaled(1.772, v)),
            green_from_cb: std::array::from_fn(|v| scaled(-0.344_136, v)),
            green_from_cr: std::array::from_fn(|v| scaled(-0.714_136, v)),
        }
    }

    #[inline]
    fn rgb(&self, luma: u8, blue: u8, red: u8) -> [u8; 3] {
        let l = (i32::from(luma) << 16) + (1 << 15);
        let (b, r) = (usize::from(blue), usize::from(red));
        let channel = |v: i32| (v >> 16).clamp(0, 255) as u8;
        [
            channel(l + self.red_from_cr[r]),
            channel(l + self.green_from_cb[b] + self.green_from_cr[r]),
            channel(l + self.blue_from_cb[b]),
        ]
    }
}

/// The sources each output index of a box-filtered resize covers: the
/// first source, and the weights (scaled so that they sum to `one`) in
/// one flat list, `offsets[o]..offsets[o + 1]` for output `o`.
struct Taps {
    first: Vec<usize>,
    offsets: Vec<usize>,
    weights: Vec<u32>,
}

impl Taps {
    fn new(from: usize, to: usize, one: f64) -> Self {
        let step = from as f64 / to as f64;
        let mut taps = Self {
            first: Vec::with_capacity(to),
            offsets: vec![0],
            weights: Vec::new(),
        };
        for o in 0..to {
            let (start, end) = (o as f64 * step, ((o + 1) as f64 * step).min(from as f64));
            let first = (start.floor() as usize).min(from - 1);
            let last = (end.ceil() as usize).clamp(first + 1, from);
            taps.first.push(first);
            let from_here = taps.weights.len();
            for i in first..last {
                let cover = (end.min((i + 1) as f64) - start.max(i as f64)).max(0.0);
                taps.weights.push((cover / step * one).round() as u32);
            }
            // Rounding must not brighten or darken: the weights sum to one.
            let weights = &mut taps.weights[from_here..];
            let sum: u32 = weights.iter().sum();
            let target = one as u32;
            if let Some(largest) = weights.iter_mut().max() {
                *largest = (*largest + target).saturating_sub(sum);
            }
            taps.offsets.push(taps.weights.len());
        }
        taps
    }

    fn of(&self, o: usize) -> (usize, &[u32]) {
        (
            self.first[o],
            &self.weights[self.offsets[o]..self.offsets[o + 1]],
        )
    }
}

/// `image` shrunk so that its longer side is `side`, each pixel the
/// average of the area it covers (a box filter, separable, in fixed
/// point): the preview's last step, a few milliseconds.
pub fn shrink(image: &image::RgbImage, side: u32) -> image::RgbImage {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let longest = w.max(h);
    if longest <= side as usize || w == 0 || h == 0 {
        return image.clone();
    }
    let ratio = longest as f64 / f64::from(side);
    let out_w = ((w as f64 / ratio).round() as usize).max(1);
    let out_h = ((h as f64 / ratio).round() as usize).max(1);
    // Across in 8.8 (a row value is at most 255 × 256), then down in
    // 4.12: a sum stays below 2^32.
    let across = Taps::new(w, out_w, 256.0);
    let down = Taps::new(h, out_h, 4096.0);
    let source = image.as_raw();
    let mut narrow = vec![0u32; out_w * h * 3];
    for (row, out) in source
        .chunks_exact(w * 3)
        .zip(narrow.chunks_exact_mut(out_w * 3))
    {
        for (x, pixel) in out.chunks_exact_mut(3).enumerate() {
            let (first, weights) = across.of(x);
            let covered = row
                .get(first * 3..(first + weights.len()) * 3)
                .unwrap_or_default();
            let mut sum = [0u32; 3];
            for (p, &weight) in covered.chunks_exact(3).zip(weights) {
                sum[0] += u32::from(p[0]) * weight;
                sum[1] += u32::from(p[1]) * weight;
                sum[2] += u32::from(p[2]) * weight;
            }
            pixel.copy_from_slice(&sum);
        }
    }
    let mut pixels = vec![0u8; out_w * out_h * 3];
    let mut sum = vec![0u32; out_w * 3];
    for (y, out) in pixels.chunks_exact_mut(out_w * 3).enumerate() {
        let (first, weights) = down.of(y);
        sum.fill(0);
        for (k, &weight) in weights.iter().enumerate() {
            let start = (first + k) * out_w * 3;
            let row = narrow.get(start..start + out_w * 3).unwrap_or_default();
            for (s, &v) in sum.iter_mut().zip(row) {
                *s += v * weight;
            }
        }
        for (o, &s) in out.iter_mut().zip(&sum) {
            *o = ((s + (1 << 19)) >> 20).min(255) as u8;
        }
    }
    image::RgbImage::from_raw(out_w as u32, out_h as u32, pixels).unwrap_or_else(|| image.clone())
}

/// For each zigzag position, its slot among the 25 coefficients that the
/// quadrant averages use (both frequencies in [`HALF_FREQUENCIES`]).
const QUARTER_SLOTS: [Option<usize>; 64] = {
    let mut slots = [None; 64];
    let mut k = 0;
    while k < 64 {
        let natural = ZIGZAG[k];
        let (row, column) = (natural / 8, natural % 8);
        let mut r = 0;
        while r < 5 {
            let mut c = 0;
            while c < 5 {
                if HALF_FREQUENCIES[r] == row && HALF_FREQUENCIES[c] == column {
                    slots[k] = Some(r * 5 + c);
                }
                c += 1;
            }
            r += 1;
        }
        k += 1;
    }
    slots
};

/// `C(u)` times the average of the basis over the first half of a block,
/// for each frequency of [`HALF_FREQUENCIES`].
fn half_weights() -> [f32; 5] {
    HALF_FREQUENCIES.map(|u| {
        let c = if u == 0 {
            std::f32::consts::FRAC_1_SQRT_2
        } else {
            1.0
        };
        let average: f32 = (0..4)
            .map(|x| ((2 * x + 1) as f32 * u as f32 * std::f32::consts::PI / 16.0).cos())
            .sum::<f32>()
            / 4.0;
        c * average
    })
}

/// The four quadrants' averages (top-left, top-right, bottom-left,
/// bottom-right) of the block's inverse DCT, without the DC term (the
/// coefficients in `slots` are dequantised; slot 0 is not used).
fn quadrant_averages(coefficients: &[f32; 25], weights: &[f32; 5]) -> [f32; 4] {
    // Over columns (horizontal frequency) first, for the left and the
    // right half; odd frequencies change sign on the right.
    let mut left = [0f32; 5];
    let mut right = [0f32; 5];
    for row in 0..5 {
        for column in 0..5 {
            if row == 0 && column == 0 {
                continue;
            }
            let term = coefficients[row * 5 + column] * weights[column];
            left[row] += term;
            right[row] += if column == 0 { term } else { -term };
        }
    }
    let mut out = [0f32; 4];
    for row in 0..5 {
        let w = weights[row] / 4.0;
        let sign = if row == 0 { 1.0 } else { -1.0 };
        out[0] += w * left[row];
        out[1] += w * right[row];
        out[2] += w * sign * left[row];
        out[3] += w * sign * right[row];
    }
    out
}

/// The true stream of blocks: runs of the segments' blocks, each with
/// the shift of its DC predictions.
struct Stitched {
    segments: Vec<Segment>,
    /// (segment, its blocks in this run, DC shift per component).
    runs: Vec<(usize, std::ops::Range<usize>, [i32; 4])>,
}

/// The true blocks from the segments: the first is true from its start;
/// each next one from the first of its block starts that is a block start
/// of the true stream before it, its DC predictions shifted there.
/// `mcu_blocks` gives each block of an MCU its component.
fn stitch(segments: Vec<Segment>, total: usize, mcu_blocks: &[usize]) -> Option<Stitched> {
    if segments.first()?.failed_at.is_some() {
        return None;
    }
    let mut runs = Vec::new();
    // The true stream so far: segment `at` from `taken`, shifted by `shift`.
    let mut taken = 0;
    let mut shift = [0i32; 4];
    for at in 0..segments.len() - 1 {
        let (current, next) = (&segments[at], &segments[at + 1]);
        // The earliest meeting: both lists are sorted by bit.
        let first_start = *next.starts.first()?;
        let mut i = current
            .starts
            .partition_point(|s| (s >> 8) < (first_start >> 8))
            .max(taken);
        let mut j = 0;
        let (i, j) = loop {
            let (a, b) = (*current.starts.get(i)?, *next.starts.get(j)?);
            match (a >> 8).cmp(&(b >> 8)) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal if a == b => break (i, j),
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                }
            }
        };
        // The true stream has no invalid code after the meeting.
        if next.failed_at.is_some_and(|bit| bit >= next.starts[j] >> 8) {
            return None;
        }
        runs.push((at, taken..i, shift));
        shift = std::array::from_fn(|c| {
            current.prediction(i, c, mcu_blocks) + shift[c] - next.prediction(j, c, mcu_blocks)
        });
        taken = j;
    }
    let last = segments.len() - 1;
    runs.push((last, taken..segments[last].starts.len(), shift));
    let count: usize = runs.iter().map(|(_, r, _)| r.len()).sum();
    (count >= total).then_some(Stitched { segments, runs })
}

/// The entropy-coded data after a SOS header, 0xFF00 turned back into
/// 0xFF, up to the first marker that is not a restart marker.
fn unstuff(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut at = 0;
    while at < data.len() {
        match memchr::memchr(0xFF, &data[at..]) {
            None => {
                out.extend_from_slice(&data[at..]);
                break;
            }
            Some(offset) => {
                out.extend_from_slice(&data[at..at + offset]);
                at += offset;
                match data.get(at + 1) {
                    Some(0) => {
                        out.push(0xFF);
                        at += 2;
                    }
                    Some(0xD0..=0xD7) => at += 2,
                    Some(0xFF) => at += 1,
                    _ => break,
                }
            }
        }
    }
    out
}

/// A start-of-frame segment (baseline or extended sequential, 8 bits, one
/// or three components).
fn parse_frame(body: &[u8]) -> Option<Frame> {
    if *body.first()? != 8 {
        return None;
    }
    let height = u32::from(u16::from_be_bytes([*body.get(1)?, *body.get(2)?]));
    let width = u32::from(u16::from_be_bytes([*body.get(3)?, *body.get(4)?]));
    let count = usize::from(*body.get(5)?);
    if width == 0 || height == 0 || !(count == 1 || count == 3) {
        return None;
    }
    let mut components = Vec::new();
    for c in 0..count {
        let spec = body.get(6 + c * 3..9 + c * 3)?;
        let (h, v) = (usize::from(spec[1] >> 4), usize::from(spec[1] & 15));
        if !(1..=2).contains(&h) || !(1..=2).contains(&v) || spec[2] > 3 {
            return None;
        }
        components.push((
            spec[0],
            Component {
                h,
                v,
                quant: usize::from(spec[2]),
                dc_table: 0,
                ac_table: 0,
            },
        ));
    }
    Some((width, height, components))
}

/// A quantisation-table segment, into `quant`.
fn parse_quant(body: &[u8], quant: &mut [[u16; 64]; 4]) -> Option<()> {
    let mut rest = body;
    while !rest.is_empty() {
        let precision = rest[0] >> 4;
        let slot = usize::from(rest[0] & 15);
        let table = quant.get_mut(slot)?;
        if precision == 0 {
            for (k, q) in rest.get(1..65)?.iter().enumerate() {
                table[k] = u16::from(*q);
            }
            rest = &rest[65..];
        } else {
            for (k, q) in table.iter_mut().enumerate() {
                *q = u16::from_be_bytes([*rest.get(1 + 2 * k)?, *rest.get(2 + 2 * k)?]);
            }
            rest = &rest[129..];
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page-like picture: paper with grain, lines of dark strokes.
    fn page(width: u32, height: u32, seed: u64) -> image::RgbImage {
        let mut state = seed | 1;
        image::RgbImage::from_fn(width, height, |x, y| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let grain = (state >> 59) as u8;
            let ink = (y / 23) % 2 == 0 && (x / 5 + y / 3) % 4 == 0;
            let v = if ink { 40 } else { 215 } + grain;
            image::Rgb([v, v.saturating_sub(10), v.saturating_sub(30)])
        })
    }

    fn jpeg(picture: &image::DynamicImage, quality: u8) -> Vec<u8> {
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality)
            .encode_image(picture)
            .unwrap_or_else(|e| panic!("{e}"));
        bytes
    }

    /// The mean difference per channel between two pictures of one size.
    fn difference(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
        assert_eq!(a.dimensions(), b.dimensions());
        let total: u64 = a
            .as_raw()
            .iter()
            .zip(b.as_raw())
            .map(|(x, y)| u64::from(x.abs_diff(*y)))
            .sum();
        total as f64 / a.as_raw().len() as f64
    }

    /// The full decode of `bytes`, each `cell`×`cell` square averaged:
    /// what a preview at 1/`cell` should be. The last row and column,
    /// where the encoder's padding enters the blocks, are left out.
    fn reference(bytes: &[u8], cell: u32) -> image::RgbImage {
        let full = image::load_from_memory(bytes)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_rgb8();
        let (w, h) = (full.width() / cell, full.height() / cell);
        image::RgbImage::from_fn(w, h, |x, y| {
            let mut sum = [0u32; 3];
            for dy in 0..cell {
                for dx in 0..cell {
                    let p = full.get_pixel(x * cell + dx, y * cell + dy);
                    for (total, &value) in sum.iter_mut().zip(&p.0) {
                        *total += u32::from(value);
                    }
                }
            }
            image::Rgb(sum.map(|s| ((s + cell * cell / 2) / (cell * cell)) as u8))
        })
    }

    #[test]
    fn previews_match_a_reduced_decode_on_any_number_of_cores() {
        for (width, height, grey) in [(801, 603, false), (640, 960, true), (1203, 515, false)] {
            let picture = image::DynamicImage::from(page(width, height, u64::from(width)));
            let picture = if grey {
                image::DynamicImage::from(picture.into_luma8())
            } else {
                picture
            };
            let bytes = jpeg(&picture, 90);
            for side in [width.max(height) / 8, width.max(height) / 4] {
                let (serial, full) =
                    preview_in(&bytes, side, 1).unwrap_or_else(|| panic!("{width}×{height}"));
                assert_eq!(full, [width, height]);
                // Cut into 2 to 7 segments, stitched: the very same pixels.
                for pieces in 2..8 {
                    let (parallel, _) = preview_in(&bytes, side, pieces)
                        .unwrap_or_else(|| panic!("{width}×{height} in {pieces}"));
                    assert_eq!(
                        parallel.as_raw(),
                        serial.as_raw(),
                        "{width}×{height} in {pieces}"
                    );
                }
                // And the full decode's averages over its cells.
                let cell = if side == width.max(height) / 8 { 8 } else { 4 };
                let expected = reference(&bytes, cell);
                let shown =
                    image::imageops::crop_imm(&serial, 0, 0, expected.width(), expected.height())
                        .to_image();
                let mean = difference(&shown, &expected);
                assert!(
                    mean < 2.0,
                    "{width}×{height} at 1/{cell}: mean difference {mean}"
                );
            }
        }
    }

    #[test]
    fn what_it_does_not_read_is_left_to_the_other_decoders() {
        let picture = image::DynamicImage::from(page(400, 300, 7));
        let bytes = jpeg(&picture, 85);
        // Asked bigger than a quarter: not this decoder's.
        assert!(preview(&bytes, 200).is_none());
        assert!(preview(b"not a jpeg", 64).is_none());
        // Cut in half, the scan ends early: too few blocks, not a preview.
        assert!(preview(&bytes[..bytes.len() / 2], 50).is_none());
        // A PNG is not a JPEG.
        let mut png = Vec::new();
        picture
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(preview(&png, 50).is_none());
    }

    #[test]
    fn damaged_files_cut_into_segments_never_panic() {
        let picture = image::DynamicImage::from(page(640, 480, 3));
        let original = jpeg(&picture, 92);
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..150 {
            let mut bytes = original.clone();
            for _ in 0..(round % 7) {
                let at = (next() as usize) % bytes.len();
                bytes[at] = next() as u8;
            }
            if round % 5 == 0 {
                bytes.truncate((next() as usize) % bytes.len());
            }
            for pieces in [1, 2, 3, 5] {
                if let Some((preview, _)) = preview_in(&bytes, 80, pieces) {
                    assert!(preview.width() >= 80 || preview.height() >= 80);
                }
            }
        }
    }

    #[test]
    fn shrinking_averages_areas() {
        // Black and white columns, two pixels each: a third as wide is a
        // grey that is neither.
        let stripes = image::RgbImage::from_fn(300, 30, |x, _| {
            if (x / 2) % 2 == 0 {
                image::Rgb([0, 0, 0])
            } else {
                image::Rgb([255, 255, 255])
            }
        });
        let small = shrink(&stripes, 100);
        assert_eq!(small.dimensions(), (100, 10));
        for pixel in small.pixels() {
            assert!((60..=195).contains(&pixel.0[0]), "{pixel:?}");
        }
        // A flat colour stays that colour.
        let flat = image::RgbImage::from_pixel(333, 129, image::Rgb([10, 120, 250]));
        assert!(shrink(&flat, 100).pixels().all(|p| p.0 == [10, 120, 250]));
    }
}
