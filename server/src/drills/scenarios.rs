//! The scenario files: one TOML file per scenario with both languages inside (format in
//! docs/DRILLS.md), read into the domain's `Scenario` and checked by its rules. Every problem
//! names the file, and the line (a file that is not TOML or lacks a field) or the step and
//! field (a scenario that breaks a rule). The files ship inside the binary ([`FILES`]); the
//! server refuses to start with a bad one, and a test reads them all.

use safejdz_app::domain::drills::Scenario;

/// Every scenario file of `server/data/drills/`, by name (a test checks that the directory
/// holds exactly these).
pub const FILES: &[(&str, &str)] = &[
    ("earthquake-classroom.toml", include_str!("../../data/drills/earthquake-classroom.toml")),
    ("school-fire.toml", include_str!("../../data/drills/school-fire.toml")),
    ("waterlogging-way-home.toml", include_str!("../../data/drills/waterlogging-way-home.toml")),
    ("landslide-fuliang-village.toml", include_str!("../../data/drills/landslide-fuliang-village.toml")),
    ("gas-kiln-studio.toml", include_str!("../../data/drills/gas-kiln-studio.toml")),
    (
        "chemical-leak-industrial-park.toml",
        include_str!("../../data/drills/chemical-leak-industrial-park.toml"),
    ),
    ("forest-fire-hike.toml", include_str!("../../data/drills/forest-fire-hike.toml")),
];

/// Every illustration of `public/illustrations/`, by name, with its text (a test checks that
/// the directory holds exactly these, that each is a plain drawing with nothing active in it,
/// and that a scenario uses each). The site build copies the directory; the text is here so
/// that a scenario naming a file that is not there fails the check, not the reader.
pub const ILLUSTRATIONS: &[(&str, &str)] = &[
    ("chemical-haze-wind.svg", include_str!("../../../public/illustrations/chemical-haze-wind.svg")),
    ("earthquake-stairs.svg", include_str!("../../../public/illustrations/earthquake-stairs.svg")),
    ("earthquake-under-desk.svg", include_str!("../../../public/illustrations/earthquake-under-desk.svg")),
    ("forest-fire-wind-slope.svg", include_str!("../../../public/illustrations/forest-fire-wind-slope.svg")),
    ("gas-kiln-alarm.svg", include_str!("../../../public/illustrations/gas-kiln-alarm.svg")),
    (
        "landslide-warning-signs.svg",
        include_str!("../../../public/illustrations/landslide-warning-signs.svg"),
    ),
    ("school-fire-smoke.svg", include_str!("../../../public/illustrations/school-fire-smoke.svg")),
    ("waterlogging-underpass.svg", include_str!("../../../public/illustrations/waterlogging-underpass.svg")),
];

/// One scenario file's problems, each a line of text: `FILE: line N: …` or
/// `FILE: step S, field F: …`.
pub fn read(name: &str, text: &str) -> Result<Scenario, Vec<String>> {
    let scenario: Scenario = toml::from_str(text).map_err(|error| {
        let line = error.span().map(|span| text[..span.start.min(text.len())].lines().count().max(1));
        let message = error.message().trim().to_owned();
        vec![match line {
            Some(line) => format!("{name}: line {line}: {message}"),
            None => format!("{name}: {message}"),
        }]
    })?;
    let mut problems: Vec<String> =
        scenario.problems().iter().map(|problem| format!("{name}: {problem}")).collect();
    for step in &scenario.steps {
        if let Some(picture) = &step.illustration
            && !ILLUSTRATIONS.iter().any(|(file, _)| *file == picture.file)
        {
            problems.push(format!(
                "{name}: step {}, field illustration: public/illustrations/{} is not one of the shipped illustrations",
                step.id, picture.file
            ));
        }
    }
    let expected_name = format!("{}.toml", scenario.id);
    if name.rsplit('/').next() != Some(expected_name.as_str()) {
        problems
            .push(format!("{name}: field id: {:?} is not the file's name ({expected_name})", scenario.id));
    }
    if problems.is_empty() { Ok(scenario) } else { Err(problems) }
}

/// Every scenario of [`FILES`], or every problem of every file.
pub fn all() -> Result<Vec<Scenario>, Vec<String>> {
    let mut scenarios = Vec::new();
    let mut problems = Vec::new();
    for (name, text) in FILES {
        match read(name, text) {
            Ok(scenario) => scenarios.push(scenario),
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.is_empty() { Ok(scenarios) } else { Err(problems) }
}
