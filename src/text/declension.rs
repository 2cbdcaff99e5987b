//! Russian personal names as catalogue titles decline them, back in the
//! nominative: "Записка Л. П. Берии И. В. Сталину" is a note from Beria
//! (genitive) to Stalin (dative). Only the endings that are unambiguous
//! for surnames and given names are undone (-а/-я, -у/-ю, -ым/-им/-ом, -ой
//! of women's names in -ова/-ина, -ского/-цкого and -скому/-цкому of
//! adjectival surnames, -ии of
//! names in -ия); initials stay, names that do not decline (Мао, Шоу,
//! Гюго) stay, and a form not recognised stays as written, so one person
//! is never split in two by a wrong guess.

/// The grammatical case a name stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Whose: the author of "Записка Берии".
    Genitive,
    /// To whom: the recipient of "Письмо Сталину".
    Dative,
    /// With whom: "Беседа с Молотовым".
    Instrumental,
}

/// Whether `c` is a Russian consonant letter.
fn consonant(c: char) -> bool {
    "бвгджзйклмнпрстфхцчшщ".contains(c)
}

/// One word of a name in the nominative, or `None` when its form is not
/// one this module undoes.
fn word(word: &str, case: Case) -> Option<String> {
    let lower = word.to_lowercase();
    // Adjectival surnames (Дзержинского, Троцкому, Крупской).
    let adjectival: &[(&str, &str)] = match case {
        Case::Genitive => &[
            ("ского", "ский"),
            ("цкого", "цкий"),
            ("ской", "ская"),
            ("цкой", "цкая"),
        ],
        Case::Dative => &[
            ("скому", "ский"),
            ("цкому", "цкий"),
            ("ской", "ская"),
            ("цкой", "цкая"),
        ],
        Case::Instrumental => &[
            ("ским", "ский"),
            ("цким", "цкий"),
            ("ской", "ская"),
            ("цкой", "цкая"),
        ],
    };
    for (ending, nominative) in adjectival {
        if let Some(stem) = strip(word, &lower, ending) {
            return Some(format!("{stem}{nominative}"));
        }
    }
    // Surnames in -ов/-ев/-ин/-ын and their women's forms in -ова/-ина.
    let possessive = |stem: &str| {
        let l = stem.to_lowercase();
        ["ов", "ев", "ёв", "ин", "ын"]
            .iter()
            .any(|e| l.ends_with(e))
    };
    match case {
        Case::Genitive | Case::Dative if lower.ends_with("ой") => {
            let stem = strip(word, &lower, "ой")?;
            return possessive(stem).then(|| format!("{stem}а"));
        }
        Case::Instrumental if lower.ends_with("ым") || lower.ends_with("им") => {
            let stem = &word[..word.len() - "ым".len()];
            return possessive(stem).then(|| stem.to_owned());
        }
        Case::Instrumental if lower.ends_with("ой") => {
            let stem = strip(word, &lower, "ой")?;
            return possessive(stem).then(|| format!("{stem}а"));
        }
        _ => {}
    }
    // Names in -ия (Берия, Мария): -ии in the genitive and the dative.
    if matches!(case, Case::Genitive | Case::Dative)
        && let Some(stem) = strip(word, &lower, "ии")
    {
        return Some(format!("{stem}ия"));
    }
    let last = lower.chars().last()?;
    let before = lower.chars().rev().nth(1)?;
    let cut = |n: usize| word[..word.len() - n].to_owned();
    match (case, last) {
        // Сталина, Ковалева, Цзэдуна → Сталин, Ковалев, Цзэдун.
        (Case::Genitive, 'а') if consonant(before) => Some(cut('а'.len_utf8())),
        // Гайдая → Гайдай.
        (Case::Genitive, 'я') if "аеиоуэюя".contains(before) => {
            Some(format!("{}й", cut('я'.len_utf8())))
        }
        // Сталину, Филиппову → Сталин, Филиппов.
        (Case::Dative, 'у') if consonant(before) => Some(cut('у'.len_utf8())),
        // Гайдаю → Гайдай.
        (Case::Dative, 'ю') if "аеиоуэюя".contains(before) => {
            Some(format!("{}й", cut('ю'.len_utf8())))
        }
        // Цзэдуном → Цзэдун (names that are not -ов/-ин take -ом).
        (Case::Instrumental, 'м') if lower.ends_with("ом") => {
            let stem = strip(word, &lower, "ом")?;
            stem.chars()
                .last()
                .is_some_and(|c| consonant(c.to_lowercase().next().unwrap_or(c)))
                .then(|| stem.to_owned())
        }
        _ => None,
    }
}

/// `word` without `ending` (matched on `lower`), keeping the written case.
fn strip<'a>(word: &'a str, lower: &str, ending: &str) -> Option<&'a str> {
    lower
        .ends_with(ending)
        .then(|| &word[..word.len() - ending.len()])
        .filter(|stem| stem.chars().count() >= 2)
}

/// Whether `w` is an initial: `Л.`, `И.В.`.
fn is_initial(w: &str) -> bool {
    w.ends_with('.')
        && w.split('.')
            .filter(|p| !p.is_empty())
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase))
}

/// A name (initials and words) in the nominative; `None` when a word of
/// it is in a form not recognised (the caller keeps it as written). Words
/// that do not decline (ending in a vowel other than those undone, as
/// Мао, Гюго) stay.
pub fn nominative(name: &str, case: Case) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut out = Vec::with_capacity(words.len());
    let mut changed = false;
    for w in &words {
        if is_initial(w) {
            out.push((*w).to_owned());
            continue;
        }
        match word(w, case) {
            Some(n) => {
                changed = true;
                out.push(n);
            }
            None => {
                let last = w.chars().last()?;
                // A word that does not decline stays; any other unknown
                // form leaves the whole name as written.
                let indeclinable = "оеиэуюыё".contains(last) && !w.ends_with("ии");
                let last_word = std::ptr::eq(w, words.last()?);
                if indeclinable && !last_word {
                    out.push((*w).to_owned());
                } else {
                    return None;
                }
            }
        }
    }
    changed.then(|| out.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_forms_come_back_to_the_nominative() {
        for (written, case, expected) in [
            ("Л. П. Берии", Case::Genitive, "Л. П. Берия"),
            ("И. В. Сталину", Case::Dative, "И. В. Сталин"),
            ("Ковалева", Case::Genitive, "Ковалев"),
            ("Филиппову", Case::Dative, "Филиппов"),
            ("Мао Цзэдуна", Case::Genitive, "Мао Цзэдун"),
            ("Молотовым", Case::Instrumental, "Молотов"),
            ("Мао Цзэдуном", Case::Instrumental, "Мао Цзэдун"),
            ("Ф. Э. Дзержинского", Case::Genitive, "Ф. Э. Дзержинский"),
            ("Троцкому", Case::Dative, "Троцкий"),
            ("Н. К. Крупской", Case::Genitive, "Н. К. Крупская"),
            ("Ивановой", Case::Dative, "Иванова"),
            ("Иосифа Сталина", Case::Genitive, "Иосиф Сталин"),
            ("Гайдая", Case::Genitive, "Гайдай"),
        ] {
            assert_eq!(
                nominative(written, case).as_deref(),
                Some(expected),
                "{written}"
            );
        }
    }

    #[test]
    fn unknown_forms_stay_as_written() {
        // Nominative already, indeclinable, or not a form undone here.
        assert_eq!(nominative("Сталин", Case::Dative), None);
        assert_eq!(nominative("Шоу", Case::Dative), None);
        assert_eq!(nominative("Мао", Case::Genitive), None);
        assert_eq!(nominative("Петрове", Case::Dative), None);
    }
}
