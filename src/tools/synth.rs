//! `folio synth`: a deterministic synthetic corpus for tests and
//! benchmarks. It mixes the three folder formats (web clips, structured
//! documents, loose files with `metadata.csv`), writes Russian, English,
//! Chinese and Uyghur text, dates of every precision (and undated
//! documents), archive references in the usual written forms, people under
//! name variants in several scripts (with an authority file), one to three
//! layers, and small page images for some documents.
//!
//! Beside the corpus, the hidden file `.synth/truth.jsonl` records what
//! each document *is* (dates, archive levels, authors' authority ids,
//! languages), so tests can check that loading recovers it.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::{FuzzyDate, Ymd};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct SynthOptions {
    pub docs: usize,
    pub seed: u64,
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SynthReport {
    pub documents: usize,
    pub files: usize,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error("{}: already exists and is not empty; choose a new folder", .0.display())]
    NotEmpty(PathBuf),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The truth about one generated document.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Truth {
    pub id: String,
    pub format: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub precision: String,
    pub repository: String,
    pub fond: String,
    pub opis: String,
    pub papka: Option<String>,
    pub delo: String,
    pub authors: Vec<String>,
    pub original_language: String,
    pub layers: usize,
    pub pages: usize,
}

/// `SplitMix64`: small, fast and deterministic across platforms.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// People: authority id, canonical Latin name, variants (Latin first).
const PEOPLE: &[(&str, &str, &[&str])] = &[
    (
        "ahmetjan-qasimi",
        "Ahmetjan Qasimi",
        &[
            "Ehmetjan Qasim",
            "Ahmet Jan Kasimi",
            "Ахметжан Касымов",
            "阿合買提江·哈斯木",
            "ئەخمەتجان قاسىمى",
        ],
    ),
    (
        "alihan-tore",
        "Alihan Tore",
        &["Elihan Tore", "Shakirjan", "Алихан Тюря", "艾力汗·吐烈"],
    ),
    (
        "stalin",
        "Joseph Stalin",
        &["Stalin", "Filippov", "Иосиф Сталин", "斯大林"],
    ),
    (
        "molotov",
        "Vyacheslav Molotov",
        &["Molotov", "Вячеслав Молотов", "莫洛托夫"],
    ),
    (
        "mao-zedong",
        "Mao Zedong",
        &["Mao Tse-tung", "Мао Цзэдун", "毛泽东", "毛澤東"],
    ),
    (
        "sheng-shicai",
        "Sheng Shicai",
        &["Sheng Shih-tsai", "Шэн Шицай", "盛世才"],
    ),
    (
        "saifuddin-azizi",
        "Saifuddin Azizi",
        &[
            "Seypidin Ezizi",
            "Сайфуддин Азизи",
            "赛福鼎·艾则孜",
            "سەيپىدىن ئەزىزى",
        ],
    ),
    (
        "burhan-shahidi",
        "Burhan Shahidi",
        &["Burhan Shehidi", "Бурхан Шахиди", "包尔汉·沙希迪"],
    ),
    (
        "zhang-zhizhong",
        "Zhang Zhizhong",
        &["Chang Chih-chung", "Чжан Чжичжун", "张治中", "張治中"],
    ),
    (
        "ma-zhongying",
        "Ma Zhongying",
        &["Ma Chung-ying", "Ма Чжуньин", "马仲英", "馬仲英"],
    ),
    (
        "osman-batur",
        "Osman Batur",
        &["Ospan Batyr", "Оспан Батыр", "乌斯满", "ئوسمان باتۇر"],
    ),
    (
        "vasiliy-borisov",
        "Vasiliy Borisov",
        &["Vasily Borisov", "Василий Борисов"],
    ),
];

const TRANSLATORS: [&str; 3] = ["Gary Goldberg", "Anna Petrova", "Li Wei"];

const PLACES: &[(&str, &str, &str, &str)] = &[
    ("Ghulja", "Кульджа", "伊宁", "غۇلجا"),
    ("Urumqi", "Урумчи", "乌鲁木齐", "ئۈرۈمچى"),
    ("Kashgar", "Кашгар", "喀什", "قەشقەر"),
    ("Chuguchak", "Чугучак", "塔城", "چۆچەك"),
    ("Moscow", "Москва", "莫斯科", "موسكۋا"),
    ("Almaty", "Алма-Ата", "阿拉木图", "ئالمۇتا"),
];

const KINDS: &[(&str, &str)] = &[
    ("Letter from {a} to {b}", "letter"),
    ("Cable, {a} to {b}", "cable"),
    ("Telegram from {a} to {b}", "telegram"),
    ("Memorandum from {a} to {b}", "memorandum"),
    ("Report from {a} to {b}", "report"),
];

const MONTHS_EN: [&str; 12] = crate::model::MONTH_NAMES;
const MONTHS_RU_GEN: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// Sentence templates per language; `{p}` is a place, `{n}` a name, `{y}` a year.
const SENTENCES: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "The situation in {p} remains tense and requires the attention of {n}.",
            "In {y} the representatives of the three districts met in {p} to discuss the agreement.",
            "We request that you pass our greetings to {n} and inform him of the events in {p}.",
            "The population of {p} suffers from requisitions and the arbitrariness of the local authorities.",
            "A delegation led by {n} will leave for {p} in the next few days.",
            "The army of the three districts has been reorganised in accordance with the agreement of {y}.",
            "Reports from {p} indicate that the harvest of {y} was poor and prices have risen.",
        ],
    ),
    (
        "ru",
        &[
            "Положение в {p} остаётся напряжённым и требует внимания товарища {n}.",
            "В {y} году представители трёх округов собрались в {p} для обсуждения соглашения.",
            "Просим передать наш горячий привет {n} и сообщить ему о событиях в {p}.",
            "Население {p} страдает от реквизиций и произвола местных властей.",
            "Делегация во главе с {n} выезжает в {p} в ближайшие дни.",
            "Армия трёх округов реорганизована в соответствии с соглашением {y} года.",
        ],
    ),
    (
        "zh",
        &[
            "{p}的局势依然紧张，需要{n}的关注。",
            "{y}年，三区代表在{p}会晤，讨论和平协议。",
            "请向{n}转达我们的问候，并告知{p}发生的事件。",
            "{p}的居民深受征用和地方当局专横之苦。",
            "由{n}率领的代表团将于近日前往{p}。",
        ],
    ),
    (
        "ug",
        &[
            "{p} دىكى ۋەزىيەت يەنىلا جىددىي بولۇپ، {n} نىڭ دىققىتىنى تەلەپ قىلىدۇ.",
            "{y} - يىلى ئۈچ ۋىلايەتنىڭ ۋەكىللىرى {p} دا يىغىلىپ كېلىشىمنى مۇزاكىرە قىلدى.",
            "{n} غا سالىمىمىزنى يەتكۈزۈپ، {p} دىكى ۋەقەلەرنى خەۋەر قىلىشىڭىزنى سورايمىز.",
            "{p} خەلقى يەرلىك ھاكىمىيەتنىڭ زوراۋانلىقىدىن ئازابلانماقتا.",
        ],
    ),
];

fn language_name(tag: &str) -> &'static str {
    match tag {
        "ru" => "Russian",
        "zh" => "Chinese",
        "ug" => "Uyghur",
        _ => "English",
    }
}

/// A generated document before it is written in some format.
struct Spec {
    id: String,
    title: String,
    kind: &'static str,
    date: Option<(FuzzyDate, String, String)>,
    archive: Archive,
    authors: Vec<(usize, String)>,
    recipients: Vec<(usize, String)>,
    translator: &'static str,
    original: &'static str,
    texts: Vec<(&'static str, String)>,
    pages: usize,
    summary: String,
}

struct Archive {
    repository: &'static str,
    fond: String,
    opis: String,
    papka: Option<String>,
    delo: String,
    folios: String,
}

impl Archive {
    fn random(rng: &mut Rng) -> Self {
        let repository = *rng.pick(&["GARF", "RGASPI", "AVP RF", "RGANI"]);
        let fond = match repository {
            "GARF" => format!(
                "R-{}{}",
                5000 + rng.below(4000),
                if rng.chance(50) { "ss" } else { "" }
            ),
            "AVP RF" => format!("0{}", 100 + rng.below(99)),
            _ => (1 + rng.below(600)).to_string(),
        };
        let papka = (repository == "AVP RF").then(|| (1 + rng.below(400)).to_string());
        let first = 1 + rng.below(400);
        Self {
            repository,
            fond,
            opis: (1 + rng.below(200)).to_string(),
            papka,
            delo: (1 + rng.below(2000)).to_string(),
            folios: format!("{first}-{}", first + 1 + rng.below(9)),
        }
    }

    /// The reference in one of the written forms archives and citations use.
    fn written(&self, rng: &mut Rng) -> String {
        let papka = |prefix: &str| {
            self.papka
                .as_ref()
                .map(|p| format!("{prefix}{p}, "))
                .unwrap_or_default()
        };
        match rng.below(5) {
            0 => format!(
                "{}, Fond {}, Opis' {}, {}Delo {}, ll. {}",
                self.repository,
                self.fond,
                self.opis,
                papka("Papka "),
                self.delo,
                self.folios
            ),
            1 => format!(
                "{} F. {}, Op. {}, {}D. {}, ll. {}",
                self.repository,
                self.fond,
                self.opis,
                papka("P. "),
                self.delo,
                self.folios
            ),
            2 => format!(
                "{} f. {}, op. {}, {}d. {}, l. {}",
                self.repository,
                self.fond,
                self.opis,
                papka("p. "),
                self.delo,
                self.folios
            ),
            3 => {
                let repo = match self.repository {
                    "GARF" => "ГАРФ",
                    "RGASPI" => "РГАСПИ",
                    "AVP RF" => "АВП РФ",
                    _ => "РГАНИ",
                };
                let fond = self.fond.replace('R', "Р").replace('s', "с");
                let papka = self
                    .papka
                    .as_ref()
                    .map(|p| format!("П. {p}. "))
                    .unwrap_or_default();
                format!(
                    "{repo}. Ф. {fond}. Оп. {}. {papka}Д. {}. Л. {}",
                    self.opis,
                    self.delo,
                    self.folios.replace('-', "–")
                )
            }
            _ => format!(
                "{} F.{} op. {}, {}d. {} l. {}",
                self.repository,
                self.fond,
                self.opis,
                papka("p. "),
                self.delo,
                self.folios
            ),
        }
    }
}

/// A date with its EDTF and a written form the parsers read, or `None` (undated).
fn random_date(rng: &mut Rng) -> Option<(FuzzyDate, String, String)> {
    let year = 1920 + rng.below(70) as i32;
    let month = 1 + rng.below(12) as u8;
    let day = 1 + rng.below(usize::from(crate::model::days_in_month(year, month))) as u8;
    let m = usize::from(month - 1);
    let (edtf, written) = match rng.below(100) {
        0..=29 => (
            format!("{year:04}-{month:02}-{day:02}"),
            format!("{} {day}, {year}", MONTHS_EN[m]),
        ),
        30..=39 => (
            format!("{year:04}-{month:02}-{day:02}"),
            format!("{day} {} {year}г.", MONTHS_RU_GEN[m]),
        ),
        40..=46 => (
            format!("{year:04}-{month:02}-{day:02}"),
            format!("{year}年{month}月{day}日"),
        ),
        47..=51 => (
            format!("{year:04}-{month:02}-{day:02}"),
            format!("{day} {} {year}", MONTHS_EN[m]),
        ),
        52..=63 => (
            format!("{year:04}-{month:02}"),
            format!("{}, {year}", MONTHS_EN[m]),
        ),
        64..=71 => (format!("{year:04}"), year.to_string()),
        72..=76 => (format!("{year:04}~"), format!("c. {year}")),
        77..=80 => (format!("{year:04}?"), format!("{year}?")),
        81..=84 => (
            format!("{year:04}/{:04}", year + 1),
            format!("{year}-{}", year + 1),
        ),
        85..=87 => (format!("{:03}X", year / 10), format!("{}s", year / 10 * 10)),
        88..=90 => (
            format!("{year:04}-01~/{year:04}-04~"),
            format!("early {year}"),
        ),
        _ => return None,
    };
    let date = FuzzyDate::parse_edtf(&edtf).ok()?;
    Some((date, edtf, written))
}

fn sentence(rng: &mut Rng, language: &str, names: &[String]) -> String {
    let templates = SENTENCES
        .iter()
        .find(|(l, _)| *l == language)
        .map_or(SENTENCES[0].1, |(_, t)| *t);
    let place = rng.pick(PLACES);
    let place = match language {
        "ru" => place.1,
        "zh" => place.2,
        "ug" => place.3,
        _ => place.0,
    };
    let name = names.get(rng.below(names.len())).map_or("", String::as_str);
    rng.pick(templates)
        .replace("{p}", place)
        .replace("{n}", name)
        .replace("{y}", &(1930 + rng.below(30)).to_string())
}

fn text(rng: &mut Rng, language: &str, names: &[String], paragraphs: usize) -> String {
    let mut out = String::new();
    for p in 0..paragraphs {
        if p > 0 {
            out.push_str("\n\n");
        }
        let sentences = 2 + rng.below(4);
        for s in 0..sentences {
            if s > 0 && language != "zh" {
                out.push(' ');
            }
            out.push_str(&sentence(rng, language, names));
        }
    }
    out
}

/// The name of a person as written in `language`'s script, when it has one.
fn name_in(person: usize, language: &str) -> String {
    let (_, canonical, variants) = PEOPLE[person];
    let script_ok = |v: &str| {
        let counts = crate::text::ScriptCounts::of(v);
        match language {
            "ru" => counts.cyrillic > 0,
            "zh" => counts.han > 0,
            "ug" => counts.arabic > 0,
            _ => counts.latin > 0,
        }
    };
    variants
        .iter()
        .copied()
        .find(|v| script_ok(v))
        .map_or_else(|| canonical.to_owned(), str::to_owned)
}

fn spec(rng: &mut Rng, index: usize) -> Spec {
    let author = rng.below(PEOPLE.len());
    let mut recipient = rng.below(PEOPLE.len());
    if recipient == author {
        recipient = (recipient + 1) % PEOPLE.len();
    }
    let mut authors = vec![author];
    if rng.chance(15) {
        let second = (author + 1 + rng.below(PEOPLE.len() - 1)) % PEOPLE.len();
        if second != recipient {
            authors.push(second);
        }
    }
    // Titles use Latin variants, as English-language archives write them.
    let latin = |p: usize, rng: &mut Rng| -> String {
        let (_, canonical, variants) = PEOPLE[p];
        let options: Vec<&str> = std::iter::once(canonical)
            .chain(variants.iter().copied().filter(|v| v.is_ascii()))
            .collect();
        (*rng.pick(&options)).to_owned()
    };
    let author_names: Vec<(usize, String)> = authors.iter().map(|&p| (p, latin(p, rng))).collect();
    let recipient_names = vec![(recipient, latin(recipient, rng))];
    let (template, kind) = *rng.pick(KINDS);
    let a = author_names
        .iter()
        .map(|(_, n)| n.as_str())
        .collect::<Vec<_>>()
        .join(" and ");
    let title = template
        .replace("{a}", &a)
        .replace("{b}", &recipient_names[0].1);

    let original = *rng.pick(&["ru", "ru", "ru", "zh", "ug", "en"]);
    let layer_count = if original == "en" {
        1
    } else {
        1 + rng.below(3)
    };
    let mentioned: Vec<String> = authors
        .iter()
        .chain(std::iter::once(&recipient))
        .map(|&p| name_in(p, original))
        .collect();
    let paragraphs = 2 + rng.below(5);
    let mut texts = vec![(original, text(rng, original, &mentioned, paragraphs))];
    for extra in ["en", "ru"]
        .into_iter()
        .filter(|l| *l != original)
        .take(layer_count - 1)
    {
        let names: Vec<String> = authors
            .iter()
            .chain(std::iter::once(&recipient))
            .map(|&p| name_in(p, extra))
            .collect();
        texts.push((extra, text(rng, extra, &names, paragraphs)));
    }
    let summary = text(rng, "en", &[PEOPLE[author].1.to_owned()], 1);
    Spec {
        id: format!("synth-{index:06}"),
        title,
        kind,
        date: random_date(rng),
        archive: Archive::random(rng),
        authors: author_names,
        recipients: recipient_names,
        translator: TRANSLATORS[rng.below(TRANSLATORS.len())],
        original,
        texts,
        pages: if rng.chance(10) { 1 + rng.below(3) } else { 0 },
        summary,
    }
}

/// Generates `options.docs` documents into `out` (which must be new or empty).
pub fn generate(out: &Path, options: &SynthOptions) -> Result<SynthReport, SynthError> {
    if out.exists() {
        let empty = std::fs::read_dir(out)
            .map_err(|source| SynthError::Io {
                path: out.to_owned(),
                source,
            })?
            .next()
            .is_none();
        if !empty {
            return Err(SynthError::NotEmpty(out.to_owned()));
        }
    }
    let mut writer = Writer {
        root: out.to_owned(),
        report: SynthReport::default(),
    };
    let mut rng = Rng(options.seed ^ 0x666F_6C69_6F00_0000);
    let mut truths = String::new();
    let mut csv_rows: Vec<(usize, String)> = Vec::new();
    for index in 0..options.docs {
        let spec = spec(&mut rng, index);
        let format = match rng.below(100) {
            0..=44 => "clip",
            45..=79 => "folio",
            _ => "loose",
        };
        let batch = format!("{:03}", index / 1000);
        match format {
            "clip" => writer.clip(&spec, &batch, &mut rng)?,
            "folio" => writer.folio(&spec, &batch, &mut rng)?,
            _ => csv_rows.push((index / 1000, writer.loose(&spec, &batch, &mut rng)?)),
        }
        let truth = Truth {
            id: spec.id.clone(),
            format: format.to_owned(),
            start: spec
                .date
                .as_ref()
                .and_then(|(d, _, _)| d.start.map(|s: Ymd| s.to_string())),
            end: spec
                .date
                .as_ref()
                .and_then(|(d, _, _)| d.end.map(|s| s.to_string())),
            precision: spec
                .date
                .as_ref()
                .map_or("unknown", |(d, _, _)| d.precision.as_str())
                .to_owned(),
            repository: spec.archive.repository.to_owned(),
            fond: spec.archive.fond.clone(),
            opis: spec.archive.opis.clone(),
            papka: spec.archive.papka.clone(),
            delo: spec.archive.delo.clone(),
            authors: spec
                .authors
                .iter()
                .map(|(p, _)| PEOPLE[*p].0.to_owned())
                .collect(),
            original_language: spec.original.to_owned(),
            layers: spec.texts.len(),
            pages: if format == "clip" { 0 } else { spec.pages },
        };
        truths.push_str(&serde_json::to_string(&truth).unwrap_or_default());
        truths.push('\n');
        writer.report.documents += 1;
    }
    // One metadata.csv per loose batch folder.
    let mut batches: Vec<usize> = csv_rows.iter().map(|(b, _)| *b).collect();
    batches.dedup();
    for batch in batches {
        let mut csv =
            String::from("id,title,date,author,recipient,archive,language,kind,translator\n");
        for (_, row) in csv_rows.iter().filter(|(b, _)| *b == batch) {
            csv.push_str(row);
        }
        writer.write(&format!("loose/{batch:03}/metadata.csv"), csv.as_bytes())?;
    }
    writer.write("authority.toml", authority_toml().as_bytes())?;
    writer.write(".synth/truth.jsonl", truths.as_bytes())?;
    Ok(writer.report)
}

fn authority_toml() -> String {
    let mut s = String::from("# Generated by `folio synth`.\n");
    for (id, name, variants) in PEOPLE {
        let quoted: Vec<String> = variants.iter().map(|v| format!("{v:?}")).collect();
        let _ = write!(
            s,
            "\n[[person]]\nid = {id:?}\nname = {name:?}\nvariants = [{}]\n",
            quoted.join(", ")
        );
    }
    s
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

struct Writer {
    root: PathBuf,
    report: SynthReport,
}

impl Writer {
    fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<(), SynthError> {
        let path = self.root.join(rel);
        let io = |source| SynthError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let mut file = std::fs::File::create(&path).map_err(io)?;
        file.write_all(bytes).map_err(io)?;
        self.report.files += 1;
        self.report.bytes += bytes.len() as u64;
        Ok(())
    }

    fn clip(&mut self, spec: &Spec, batch: &str, rng: &mut Rng) -> Result<(), SynthError> {
        let mut s = String::from("Skip to content\n\n");
        let date_written = spec.date.as_ref().map(|(_, _, w)| w.clone());
        if let Some(written) = &date_written {
            let _ = writeln!(s, "{written}");
        }
        let _ = write!(s, "**{}**\n\nCitation:\n\n\"{}\"", spec.title, spec.title);
        if let Some(written) = &date_written {
            let _ = write!(s, ", {written}");
        }
        let _ = write!(
            s,
            ", Synthetic Digital Archive, {}. Obtained by the folio project and translated by {}.\n\nSummary:\n\n{}\n\nOriginal Language:\n\n{}\n\nContents:\n\nOriginal Scan\n",
            spec.archive.written(rng),
            spec.translator,
            spec.summary,
            language_name(spec.original)
        );
        for (lang, _) in spec.texts.iter().skip(1) {
            let _ = writeln!(s, "Translation - {}", language_name(lang));
        }
        for (_, text) in &spec.texts {
            let _ = write!(s, "\n{text}\n");
        }
        self.write(&format!("clips/{batch}/{}.txt", spec.id), s.as_bytes())
    }

    fn folio(&mut self, spec: &Spec, batch: &str, rng: &mut Rng) -> Result<(), SynthError> {
        let dir = format!("structured/{batch}/{}", spec.id);
        let mut toml = format!(
            "id = {:?}\ntitle = {:?}\nkind = {:?}\n",
            spec.id, spec.title, spec.kind
        );
        if let Some((_, edtf, written)) = &spec.date {
            let _ = write!(toml, "date = {edtf:?}\ndate_text = {written:?}\n");
        }
        let _ = write!(
            toml,
            "original_language = {:?}\nsummary = {:?}\narchive = {:?}\n",
            spec.original,
            spec.summary,
            spec.archive.written(rng)
        );
        for (people, role) in [(&spec.authors, "author"), (&spec.recipients, "recipient")] {
            for (p, _) in people {
                // Structured documents name people in any script; the authority file links them.
                let written = rng.pick(PEOPLE[*p].2);
                let _ = write!(toml, "\n[[people]]\nname = {written:?}\nrole = {role:?}\n");
            }
        }
        let _ = write!(
            toml,
            "\n[[people]]\nname = {:?}\nrole = \"translator\"\n",
            spec.translator
        );
        self.write(&format!("{dir}/document.toml"), toml.as_bytes())?;
        for (i, (lang, text)) in spec.texts.iter().enumerate() {
            let name = if i == 0 {
                format!("original.{lang}.md")
            } else {
                format!("translation.{lang}.md")
            };
            self.write(&format!("{dir}/{name}"), text.as_bytes())?;
        }
        for page in 0..spec.pages {
            self.write(&format!("{dir}/scan/{:03}.png", page + 1), &png(rng))?;
        }
        Ok(())
    }

    /// Writes the files of a loose document; returns its metadata.csv row.
    fn loose(&mut self, spec: &Spec, batch: &str, rng: &mut Rng) -> Result<String, SynthError> {
        let dir = format!("loose/{batch}");
        for (lang, text) in &spec.texts {
            self.write(&format!("{dir}/{}.{lang}.txt", spec.id), text.as_bytes())?;
        }
        for page in 0..spec.pages {
            self.write(&format!("{dir}/{}-p{}.png", spec.id, page + 1), &png(rng))?;
        }
        let names = |people: &[(usize, String)]| {
            people
                .iter()
                .map(|(_, n)| n.as_str())
                .collect::<Vec<_>>()
                .join(";")
        };
        let fields = [
            spec.id.clone(),
            spec.title.clone(),
            spec.date
                .as_ref()
                .map(|(_, _, w)| w.clone())
                .unwrap_or_default(),
            names(&spec.authors),
            names(&spec.recipients),
            spec.archive.written(rng),
            spec.original.to_owned(),
            spec.kind.to_owned(),
            spec.translator.to_owned(),
        ];
        Ok(fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",")
            + "\n")
    }
}

/// A small grayscale PNG (a fake page: margins and lines of "text").
fn png(rng: &mut Rng) -> Vec<u8> {
    const W: usize = 48;
    const H: usize = 64;
    let mut raw = Vec::with_capacity((W + 1) * H);
    for y in 0..H {
        raw.push(0); // filter: none
        for x in 0..W {
            let line = (8..H - 8).contains(&y) && y % 4 != 0 && (6..W - 6).contains(&x);
            let ink = line && rng.chance(45);
            raw.push(if ink { 40 } else { 235 });
        }
    }
    let mut zlib = vec![0x78, 0x01, 0x01];
    let len = raw.len() as u16;
    zlib.extend_from_slice(&len.to_le_bytes());
    zlib.extend_from_slice(&(!len).to_le_bytes());
    zlib.extend_from_slice(&raw);
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&(W as u32).to_be_bytes());
    header.extend_from_slice(&(H as u32).to_be_bytes());
    header.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grayscale
    for (kind, data) in [
        (b"IHDR", header.as_slice()),
        (b"IDAT", zlib.as_slice()),
        (b"IEND", &[][..]),
    ] {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut chunk = kind.to_vec();
        chunk.extend_from_slice(data);
        out.extend_from_slice(&chunk);
        out.extend_from_slice(&crc32(&chunk).to_be_bytes());
    }
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// CRC-32 (ISO-HDLC), as PNG chunks carry it.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn every_generated_date_and_reference_parses_back() {
        let mut rng = Rng(42);
        for _ in 0..2000 {
            if let Some((date, _, written)) = random_date(&mut rng) {
                let again = FuzzyDate::parse(&written).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(
                    (again.start, again.end),
                    (date.start, date.end),
                    "{written}"
                );
            }
            let archive = Archive::random(&mut rng);
            let written = archive.written(&mut rng);
            let parsed = crate::model::ArchiveRef::parse(&written).unwrap_or_default();
            assert_eq!(
                parsed.repository.as_deref(),
                Some(archive.repository),
                "{written}"
            );
            assert_eq!(
                parsed.fond.as_deref(),
                Some(archive.fond.as_str()),
                "{written}"
            );
            assert_eq!(
                parsed.opis.as_deref(),
                Some(archive.opis.as_str()),
                "{written}"
            );
            assert_eq!(parsed.papka, archive.papka, "{written}");
            assert_eq!(
                parsed.delo.as_deref(),
                Some(archive.delo.as_str()),
                "{written}"
            );
        }
    }
}
