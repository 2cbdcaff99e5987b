//! Help as command-line programs give it: `folio --help` (the whole
//! usage), `folio help CMD` and `folio CMD --help` (that command's lines
//! of it, with the filter and query syntax where the command takes them),
//! and the usage printed on standard error after a usage mistake.

use super::USAGE;

/// The commands `folio` knows (the first word after `folio`).
pub const COMMANDS: [&str; 14] = [
    "check",
    "list",
    "search",
    "show",
    "export",
    "group",
    "ungroup",
    "describe",
    "ocr",
    "synth",
    "bench",
    "bench-preview",
    "bench-ocr",
    "help",
];

/// The usage of `command`: its lines of [`USAGE`] (every form of it, with
/// their continuation lines), then the FILTERS and QUERY sections when it
/// takes them. `None` for a word that is not a command.
pub fn command_usage(command: &str) -> Option<String> {
    if !COMMANDS.contains(&command) {
        return None;
    }
    let head = format!("    folio {command}");
    let mut lines = Vec::new();
    let mut inside = false;
    for line in USAGE.lines() {
        if line.starts_with("    folio ") {
            inside = line == head
                || line.starts_with(&format!("{head} "))
                || (command == "help" && line.starts_with("    folio help "));
        } else if !line.starts_with("        ") {
            inside = false;
        }
        if inside {
            lines.push(line);
        }
    }
    if lines.is_empty() {
        return None;
    }
    let mut usage = format!("USAGE:\n{}\n", lines.join("\n"));
    let block = lines.join("\n");
    for (name, used) in [
        ("FILTERS:", block.contains("[FILTERS]")),
        (
            "QUERY:",
            block.contains("QUERY") || block.contains("--query"),
        ),
    ] {
        if used && let Some(section) = section(name) {
            usage.push('\n');
            usage.push_str(&section);
        }
    }
    Some(usage)
}

/// The section of [`USAGE`] headed `name` (up to the next blank line).
fn section(name: &str) -> Option<String> {
    let start = USAGE.find(&format!("\n{name}\n"))? + 1;
    let rest = &USAGE[start..];
    let end = rest.find("\n\n").map_or(rest.len(), |e| e + 1);
    Some(rest[..end].to_owned())
}

/// What follows a usage mistake on standard error: the command's usage,
/// or for the window's arguments the first lines of the whole usage.
pub fn after_mistake(command: Option<&str>) -> String {
    match command.and_then(command_usage) {
        Some(usage) => format!("\n{usage}\nRun `folio --help` for every command.\n"),
        None => {
            let window: Vec<&str> = USAGE
                .lines()
                .skip_while(|l| !l.starts_with("USAGE:"))
                .take(3)
                .collect();
            format!(
                "\n{}\n\nRun `folio --help` for every command.\n",
                window.join("\n")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_command_has_its_own_usage() {
        for command in COMMANDS {
            let usage = command_usage(command).unwrap_or_else(|| panic!("{command}: no usage"));
            assert!(usage.contains(&format!("folio {command}")), "{usage}");
        }
        let list = command_usage("list").unwrap_or_default();
        assert!(
            list.contains("FILTERS:") && list.contains("--from DATE"),
            "{list}"
        );
        assert!(list.contains("QUERY:"), "{list}");
        // Every form of a command, with its continuation lines.
        let describe = command_usage("describe").unwrap_or_default();
        assert!(
            describe.contains("--from-csv") && describe.contains("--signatory"),
            "{describe}"
        );
        assert!(!describe.contains("folio ocr"), "{describe}");
        let show = command_usage("show").unwrap_or_default();
        assert!(!show.contains("FILTERS:"), "{show}");
        assert_eq!(command_usage("nonsense"), None);
        // bench is not bench-preview's prefix in the usage.
        assert!(
            !command_usage("bench")
                .unwrap_or_default()
                .contains("bench-preview")
        );
    }
}
