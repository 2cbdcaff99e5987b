//! What a document's title says: the kind of document ("Letter", "Cable",
//! "Записка") and the people it names, as authors and recipients: "Letter
//! from A, B, and C to D", "Letter of Governor X to A", "Cable, A to B",
//! and Russian catalogue titles with their names back in the nominative
//! ("Записка Л. П. Берии И. В. Сталину": see [`crate::text::declension`]).

use crate::model::{Person, Role};

/// Titles, ranks and courtesy words stripped from the front of names.
const HONORIFICS: &[&str] = &[
    "commander-in-chief",
    "supreme commander",
    "generalissimo",
    "marshal",
    "general",
    "colonel",
    "comrade",
    "cde.",
    "cdes.",
    "tov.",
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "prof.",
    "sir",
    "chairman",
    "vice-chairman",
    "president",
    "premier",
    "prime minister",
    "foreign minister",
    "minister",
    "ambassador",
    "consul general",
    "vice-consul",
    "consul",
    "governor",
    "secretary",
    "general secretary",
    "товарищу",
    "товарищ",
    "тов.",
    "маршалу",
    "маршал",
];

fn strip_honorifics(name: &str) -> String {
    let mut rest = name.trim();
    loop {
        let lower = rest.to_lowercase();
        let Some(h) = HONORIFICS
            .iter()
            .find(|h| lower.starts_with(*h) && lower[h.len()..].starts_with(' '))
        else {
            break;
        };
        rest = rest[h.len()..].trim_start();
    }
    rest.trim_matches(|c: char| c == ',' || c.is_whitespace())
        .to_owned()
}

/// The words that open a title and say what kind of document it is.
const KINDS: &[(&str, &str)] = &[
    ("letter", "letter"),
    ("cable", "cable"),
    ("telegram", "telegram"),
    ("ciphered telegram", "telegram"),
    ("memorandum of conversation", "record of conversation"),
    ("record of conversation", "record of conversation"),
    ("memorandum", "memorandum"),
    ("memo", "memorandum"),
    ("minutes", "minutes"),
    ("report", "report"),
    ("decree", "decree"),
    ("decision", "decision"),
    ("resolution", "resolution"),
    ("directive", "directive"),
    ("instruction", "instruction"),
    ("note", "note"),
    ("message", "message"),
    ("speech", "speech"),
    ("statement", "statement"),
    ("protocol", "protocol"),
    ("order", "order"),
    ("diary", "diary"),
    ("interview", "interview"),
];

pub(crate) fn kind_from_title(title: &str) -> Option<String> {
    let lower = title.to_lowercase();
    KINDS
        .iter()
        .filter(|(prefix, _)| {
            lower.starts_with(prefix) && lower[prefix.len()..].starts_with([' ', ',', ':'])
        })
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, kind)| (*kind).to_owned())
}

pub(crate) fn kind_from_body(body: &[&str]) -> Option<String> {
    let opening = body
        .iter()
        .filter(|l| !l.is_empty())
        .take(8)
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    ["decision", "resolution", "decree", "minutes", "protocol"]
        .into_iter()
        .find(|word| opening.contains(word))
        .map(str::to_owned)
}

/// Russian catalogue titles' kinds of document, longest first where one
/// starts another.
const RUSSIAN_KINDS: &[&str] = &[
    "докладная записка",
    "запись беседы",
    "шифротелеграмма",
    "шифртелеграмма",
    "телеграмма",
    "записка",
    "письмо",
    "донесение",
    "справка",
    "доклад",
    "сообщение",
    "обращение",
    "заявление",
    "беседа",
    "приказ",
    "указание",
    "директива",
    "рапорт",
    "постановление",
    "распоряжение",
    "информация",
];

/// People from a Russian catalogue title, names back in the nominative:
/// "Записка Л. П. Берии И. В. Сталину" (the author in the genitive, the
/// recipient in the dative), "Письмо Сталину от Мао Цзэдуна", "Запись
/// беседы И. В. Сталина с Мао Цзэдуном". `None` when it is not one.
fn people_from_russian_title(title: &str) -> Option<Vec<Person>> {
    use crate::text::declension::{Case, nominative};
    let lower = title.to_lowercase();
    let kind = RUSSIAN_KINDS
        .iter()
        .find(|k| lower.starts_with(*k) && lower[k.len()..].starts_with(' '))?;
    let rest = title.get(kind.len()..)?.trim();
    // Sections: before "от" (dative, or genitive then dative), after "от"
    // (genitive), after "с" (instrumental); names end at the first other
    // lowercase word ("о положении …").
    let mut sections: [Vec<Vec<&str>>; 3] = [vec![Vec::new()], Vec::new(), Vec::new()];
    let mut at = 0;
    for token in rest.split_whitespace() {
        let bare = token.trim_end_matches([',', ':', ';']);
        match bare {
            "от" => {
                at = 1;
                sections[1].push(Vec::new());
                continue;
            }
            "с" | "со" => {
                at = 2;
                sections[2].push(Vec::new());
                continue;
            }
            "и" => {
                sections[at].push(Vec::new());
                continue;
            }
            _ => {}
        }
        if !bare.chars().next().is_some_and(char::is_uppercase) {
            break;
        }
        if let Some(name) = sections[at].last_mut() {
            name.push(bare);
        }
        if bare.len() != token.len() {
            break;
        }
    }
    let is_initial = |w: &str| w.ends_with('.') && w.chars().count() <= 4;
    // A run of words becomes names: a new name starts at initials after a
    // word; without initials and without "от", each word is a name.
    let split = |run: &[&str], words_alone: bool| -> Vec<String> {
        let mut names: Vec<Vec<&str>> = Vec::new();
        for (i, w) in run.iter().enumerate() {
            let starts = i == 0
                || (is_initial(w) && !is_initial(run[i - 1]))
                || (words_alone && !run.iter().any(|w| is_initial(w)));
            if starts {
                names.push(Vec::new());
            }
            if let Some(name) = names.last_mut() {
                name.push(w);
            }
        }
        names.into_iter().map(|n| n.join(" ")).collect()
    };
    let has_from = !sections[1].is_empty();
    let mut people = Vec::new();
    let mut add = |written: &str, case: Case, role: Role| {
        let name = nominative(written, case).unwrap_or_else(|| written.to_owned());
        if !name.is_empty() {
            people.push(Person::from_written(&name, role));
        }
    };
    let dative_ending = |name: &str| {
        let l = name.to_lowercase();
        ["у", "ю", "ому", "ему"].iter().any(|e| l.ends_with(e))
    };
    // Without "от": whose first, then to whom. The ending decides where
    // it can (-у/-ю are only datives, -а/-ого only genitives); an
    // ambiguous one (-ии, -ой) is the author when none is yet, and a name
    // after "и" is in the case of the one before it.
    let (mut author_seen, mut recipient_seen, mut last_author) = (false, false, false);
    for (r, run) in sections[0].iter().enumerate() {
        for (i, name) in split(run, !has_from).iter().enumerate() {
            if has_from {
                add(name, Case::Dative, Role::Recipient);
                continue;
            }
            let l = name.to_lowercase();
            let genitive_only = ["а", "я", "ого", "его"].iter().any(|e| l.ends_with(e));
            let author = if r > 0 && i == 0 {
                last_author
            } else {
                !recipient_seen && !dative_ending(name) && (!author_seen || genitive_only)
            };
            last_author = author;
            if author {
                author_seen = true;
                add(name, Case::Genitive, Role::Author);
            } else {
                recipient_seen = true;
                add(name, Case::Dative, Role::Recipient);
            }
        }
    }
    for run in &sections[1] {
        for name in split(run, false) {
            add(&name, Case::Genitive, Role::Author);
        }
    }
    for run in &sections[2] {
        for name in split(run, false) {
            add(&name, Case::Instrumental, Role::Recipient);
        }
    }
    Some(people)
}

/// People from "Letter from A and B to C", "Letter of X to A, B, and C",
/// "Cable, A to B", "Telegram from A to B", "Letter to B", and Russian
/// catalogue titles ("Записка Л. П. Берии И. В. Сталину").
pub fn people_from_title(title: &str) -> Vec<Person> {
    if let Some(people) = people_from_russian_title(title) {
        return people;
    }
    let lower = title.to_lowercase();
    let of = lower.find(" of ").filter(|&at| {
        // "Letter of Governor X": a person after "of", not "Record of
        // Conversation" or "Minutes of the Meeting".
        let next = title[at + 4..].split_whitespace().next().unwrap_or("");
        kind_from_title(title).is_some()
            && next.chars().next().is_some_and(char::is_uppercase)
            && !matches!(
                next.to_lowercase().as_str(),
                "conversation"
                    | "meeting"
                    | "talks"
                    | "talk"
                    | "session"
                    | "negotiations"
                    | "discussion"
                    | "the"
                    | "a"
                    | "an"
            )
            && !lower[..at].contains(" from ")
    });
    let (from_part, to_part) = if let Some(at) = lower.find(" from ").or(of) {
        let skip = if lower[at..].starts_with(" from ") {
            6
        } else {
            4
        };
        let rest = &title[at + skip..];
        match rest.to_lowercase().find(" to ") {
            Some(to) => (Some(&rest[..to]), Some(&rest[to + 4..])),
            None => (Some(rest), None),
        }
    } else if let Some((_, after_comma)) = title
        .split_once(", ")
        .filter(|(kind, _)| kind_from_title(&format!("{kind} ")).is_some())
    {
        match after_comma.to_lowercase().find(" to ") {
            Some(to) => (Some(&after_comma[..to]), Some(&after_comma[to + 4..])),
            None => (None, None),
        }
    } else if kind_from_title(title).is_some()
        && let Some(at) = lower.find(" to ")
    {
        (None, Some(&title[at + 4..]))
    } else {
        (None, None)
    };
    let mut people = Vec::new();
    for (part, role) in [(from_part, Role::Author), (to_part, Role::Recipient)] {
        let Some(part) = part else { continue };
        for name in names_in(part) {
            let name = strip_honorifics(name.trim_end_matches(['.', '"', '”']));
            if !name.is_empty() && name.chars().count() <= 80 {
                people.push(Person::from_written(&name, role));
            }
        }
    }
    people
}

/// The names of "A and B", "A, B, and C" (an Oxford comma or not); a
/// segment after a comma that describes the one before ("Mr. Savel'yev,
/// Consul General of the USSR in Urumqi") ends the list.
fn names_in(part: &str) -> Vec<&str> {
    let describes = |text: &str| {
        let mut words = text.split_whitespace();
        words
            .next()
            .is_none_or(|w| !w.chars().next().is_some_and(char::is_uppercase))
            || words.any(|w| {
                w.chars().next().is_some_and(char::is_lowercase)
                    && !matches!(
                        w,
                        "de" | "van" | "von" | "der" | "al" | "la" | "ibn" | "bin" | "ul"
                    )
            })
    };
    let mut names = Vec::new();
    for (i, segment) in part.split(", ").enumerate() {
        let segment = segment.trim();
        let segment = segment.strip_prefix("and ").unwrap_or(segment);
        for name in segment.split(" and ") {
            if i > 0 && describes(name) {
                return names;
            }
            names.push(name.trim());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(people: &[Person], role: Role) -> Vec<String> {
        people
            .iter()
            .filter(|p| p.role == role)
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn people_from_titles() {
        let p = people_from_title("Letter from Alihan Tore to Commander-in-Chief Marshal Stalin");
        assert_eq!(names(&p, Role::Author), ["Alihan Tore"]);
        assert_eq!(names(&p, Role::Recipient), ["Stalin"]);
        let p = people_from_title(
            "Letter from Ahmetjan Qasimi and Rahim Jan Sabri to Mr. Savel'yev, Consul General of the USSR in Urumqi",
        );
        assert_eq!(
            names(&p, Role::Author),
            ["Ahmetjan Qasimi", "Rahim Jan Sabri"]
        );
        assert_eq!(names(&p, Role::Recipient), ["Savel'yev"]);
        let p = people_from_title("Cable, Filippov [Stalin] to Mao Zedong");
        assert_eq!(names(&p, Role::Author), ["Filippov [Stalin]"]);
        assert_eq!(p[0].aliases, ["Stalin"]);
        assert_eq!(names(&p, Role::Recipient), ["Mao Zedong"]);
        let p = people_from_title("Telegram from Molotov to Ambassador Petrov");
        assert_eq!(names(&p, Role::Recipient), ["Petrov"]);
        assert!(people_from_title("Concerning a Peace Settlement in Kashgar").is_empty());
        assert_eq!(
            names(&people_from_title("Letter to Stalin"), Role::Recipient),
            ["Stalin"]
        );
    }

    #[test]
    fn people_from_titles_with_of_lists_and_russian_cases() {
        let p = people_from_title("Letter of Governor Wu Zhongxin to Stalin, Molotov, and Beria");
        assert_eq!(names(&p, Role::Author), ["Wu Zhongxin"]);
        assert_eq!(names(&p, Role::Recipient), ["Stalin", "Molotov", "Beria"]);
        let p = people_from_title("Letter from Stalin, Molotov, and Beria to Mao Zedong");
        assert_eq!(names(&p, Role::Author), ["Stalin", "Molotov", "Beria"]);
        let p = people_from_title("Letter from Stalin, Molotov and Beria to Mao Zedong");
        assert_eq!(names(&p, Role::Author), ["Stalin", "Molotov", "Beria"]);
        assert!(people_from_title("Record of Conversation between Mao and Stalin").is_empty());
        assert!(people_from_title("Minutes of the Meeting of the Politburo").is_empty());

        let p = people_from_title("Записка Л. П. Берии И. В. Сталину");
        assert_eq!(names(&p, Role::Author), ["Л. П. Берия"]);
        assert_eq!(names(&p, Role::Recipient), ["И. В. Сталин"]);
        let p = people_from_title("Телеграмма Ковалева Филиппову");
        assert_eq!(names(&p, Role::Author), ["Ковалев"]);
        assert_eq!(names(&p, Role::Recipient), ["Филиппов"]);
        let p = people_from_title("Письмо Сталину от Мао Цзэдуна");
        assert_eq!(names(&p, Role::Author), ["Мао Цзэдун"]);
        assert_eq!(names(&p, Role::Recipient), ["Сталин"]);
        let p = people_from_title(
            "Записка В. М. Молотова и Л. П. Берии И. В. Сталину о положении в Синьцзяне",
        );
        assert_eq!(names(&p, Role::Author), ["В. М. Молотов", "Л. П. Берия"]);
        assert_eq!(names(&p, Role::Recipient), ["И. В. Сталин"]);
        let p = people_from_title("Запись беседы И. В. Сталина с Мао Цзэдуном");
        assert_eq!(names(&p, Role::Author), ["И. В. Сталин"]);
        assert_eq!(names(&p, Role::Recipient), ["Мао Цзэдун"]);
        // A form not undone stays as written: one person, never two.
        let p = people_from_title("Письмо Шоу");
        assert_eq!(p.len(), 1);
    }
}
