//! The simulated warning a teacher fires in a class session: a CAP 1.2 message with status
//! `Exercise` and scope `Restricted` to the session, in both languages, read back by the same
//! CAP reader as the city feed (so what pupils see is a well-formed message). It never enters
//! the ingest: it lives in the session only, and only that session's pupils see it.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use safejdz_app::domain::{
    cap::{Alert, ParseOptions, Status, escape_xml, parse_alert},
    drills::Scenario,
};

/// The sender of every exercise message.
pub const EXERCISE_SENDER: &str = "drills@safe-jingdezhen.invalid";

/// The exercise warning of session `code` playing `scenario`, sent at `now`.
pub fn exercise_cap(code: &str, scenario: &Scenario, now: DateTime<Utc>) -> String {
    let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    let sent = china.from_utc_datetime(&now.naive_utc()).format("%Y-%m-%dT%H:%M:%S%:z").to_string();
    let hazard = scenario.hazard;
    let info = |language: &str, event: String, headline: String, description: &str, instruction: &str| {
        format!(
            "<info><language>{language}</language><category>{category}</category><event>{event}</event>\
             <urgency>Immediate</urgency><severity>Moderate</severity><certainty>Observed</certainty>\
             <headline>{headline}</headline><description>{description}</description>\
             <instruction>{instruction}</instruction><area><areaDesc>{area}</areaDesc></area></info>",
            category = hazard.category(),
            event = escape_xml(&event),
            headline = escape_xml(&headline),
            description = escape_xml(description),
            instruction = escape_xml(instruction),
            area = escape_xml(&format!("课堂演练 {code} / Class drill {code}")),
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\
         <identifier>DRILL-{code}-{stamp}</identifier><sender>{EXERCISE_SENDER}</sender>\
         <sent>{sent}</sent><status>Exercise</status><msgType>Alert</msgType><scope>Restricted</scope>\
         <restriction>{restriction}</restriction>{zh}{en}</alert>",
        stamp = now.timestamp_millis(),
        restriction = escape_xml(&format!("class drill session {code}")),
        zh = info(
            "zh-CN",
            format!("演练：{}", hazard.event_zh()),
            format!("【演练】{}", scenario.title.zh),
            "这是课堂演练发出的模拟预警，不是真实预警。",
            "按老师的指挥和演练中学到的做法行动。",
        ),
        en = info(
            "en",
            format!("Exercise: {}", hazard.event_en()),
            format!("[EXERCISE] {}", scenario.title.en),
            "This is a simulated warning sent for a class drill. It is not a real warning.",
            "Follow your teacher and what you practise in the drill.",
        ),
    )
}

/// The exercise message read back; `None` if it is not one (then nothing is shown).
pub fn read_exercise(cap_xml: &str) -> Option<Alert> {
    let alert = parse_alert(cap_xml.as_bytes(), &ParseOptions::default()).ok()?.alert;
    (alert.status == Status::Exercise).then_some(alert)
}

#[cfg(test)]
mod tests {
    use safejdz_app::domain::drills::ScenarioLibrary;

    use super::*;

    #[test]
    fn the_exercise_is_a_valid_cap_message_with_status_exercise_in_both_languages() {
        let scenarios = crate::drills::scenarios::all().expect("the shipped scenarios");
        let library = ScenarioLibrary::new(scenarios);
        let scenario = library.get("earthquake-classroom").expect("the classroom earthquake");
        let xml = exercise_cap("012345", scenario, Utc::now());
        let alert = read_exercise(&xml).expect("an exercise message");
        assert_eq!(alert.status, Status::Exercise);
        assert_eq!(alert.restriction.as_deref(), Some("class drill session 012345"));
        assert_eq!(alert.infos.len(), 2);
        assert!(alert.infos[0].headline.as_deref().is_some_and(|h| h.starts_with("【演练】")));
        assert!(alert.infos[1].event.starts_with("Exercise: "));
    }

    #[test]
    fn an_actual_message_is_not_taken_for_an_exercise() {
        let scenarios = crate::drills::scenarios::all().expect("the shipped scenarios");
        let library = ScenarioLibrary::new(scenarios);
        let scenario = library.get("school-fire").expect("the school fire");
        let xml = exercise_cap("000001", scenario, Utc::now()).replace("<status>Exercise", "<status>Actual");
        assert!(read_exercise(&xml).is_none());
    }
}
