//! The demo source: a handful of sample Jingdezhen warnings, written for this product and
//! labelled as samples in every message, with times relative to start. Only `serve --demo`
//! (the README's run command) loads them, and every page then shows a 演示 / DEMO banner.
//!
//! The instructions follow the national defence guidelines: 中国气象局《气象灾害预警信号及
//! 防御指南》 (rainstorm, gale) and the forest-fire rules of 国家林业和草原局 (12119 is the
//! national forest fire line). They are samples all the same: the areas and times are invented.

use chrono::{DateTime, Duration, Utc};

use super::{Ingest, Verdict};
use crate::platform::store::StorageError;

/// Sender of demo messages: deliberately not a real sender code.
const DEMO_SENDER: &str = "demo.safejdz.sample";

/// One sample warning in both languages.
struct Sample {
    key: &'static str,
    msg_type: &'static str,
    /// Key of the sample this one updates or cancels.
    references: Option<&'static str>,
    minutes_ago: i64,
    hours_left: i64,
    category: &'static str,
    urgency: &'static str,
    severity: &'static str,
    colour: &'static str,
    codes: &'static [&'static str],
    zh: Texts,
    en: Texts,
}

struct Texts {
    event: &'static str,
    headline: &'static str,
    description: &'static str,
    instruction: &'static str,
    area: &'static str,
}

const SAMPLES: &[Sample] = &[
    Sample {
        key: "rain-yellow",
        msg_type: "Alert",
        references: None,
        minutes_ago: 150,
        hours_left: 10,
        category: "Met",
        urgency: "Expected",
        severity: "Moderate",
        colour: "黄色",
        codes: &["360202000000", "360203000000"],
        zh: Texts {
            event: "暴雨",
            headline: "【演示样例】景德镇市气象台发布暴雨黄色预警信号",
            description: "【演示数据，非真实预警】预计未来6小时内昌江区、珠山区降雨量将达50毫米以上。",
            instruction: "做好防暴雨准备；学校、幼儿园采取适当措施，保证学生和幼儿安全；驾驶人员注意道路积水和交通阻塞；检查城市、农田、鱼塘排水系统，做好排涝准备。",
            area: "昌江区、珠山区",
        },
        en: Texts {
            event: "Rainstorm",
            headline: "[DEMO SAMPLE] Yellow rainstorm warning for Changjiang and Zhushan districts",
            description: "[Sample data, not a real warning] More than 50 mm of rain is expected within 6 hours in Changjiang and Zhushan districts.",
            instruction: "Prepare for heavy rain. Schools and kindergartens: keep pupils safe. Drivers: watch for flooded roads and traffic jams. Check drains in the city, fields and fish ponds.",
            area: "Changjiang and Zhushan districts",
        },
    },
    Sample {
        key: "rain-orange",
        msg_type: "Update",
        references: Some("rain-yellow"),
        minutes_ago: 40,
        hours_left: 8,
        category: "Met",
        urgency: "Immediate",
        severity: "Severe",
        colour: "橙色",
        codes: &["360202000000", "360203000000"],
        zh: Texts {
            event: "暴雨",
            headline: "【演示样例】景德镇市气象台将暴雨黄色预警信号升级为橙色",
            description: "【演示数据，非真实预警】过去3小时昌江区、珠山区降雨量已达50毫米以上，且降雨将持续。",
            instruction: "切断有危险的室外电源，暂停户外作业；处于危险地带的单位应当停课、停业，保护已到校学生和上班人员的安全；做好城市、农田排涝，注意防范山洪、滑坡、泥石流等灾害。不要进入积水的地下通道和地下车库。",
            area: "昌江区、珠山区",
        },
        en: Texts {
            event: "Rainstorm",
            headline: "[DEMO SAMPLE] Rainstorm warning raised from yellow to orange",
            description: "[Sample data, not a real warning] More than 50 mm of rain fell in 3 hours in Changjiang and Zhushan districts, and it will go on.",
            instruction: "Switch off dangerous outdoor power and stop outdoor work. In danger zones, schools and businesses close and keep people already there safe. Drain the city and fields; beware of flash floods, landslides and mudslides. Do not enter flooded underpasses or underground car parks.",
            area: "Changjiang and Zhushan districts",
        },
    },
    Sample {
        key: "geohazard-yellow",
        msg_type: "Alert",
        references: None,
        minutes_ago: 90,
        hours_left: 20,
        category: "Geo",
        urgency: "Expected",
        severity: "Moderate",
        colour: "黄色",
        codes: &["360222000000"],
        zh: Texts {
            event: "地质灾害气象风险",
            headline: "【演示样例】浮梁县发布地质灾害气象风险黄色预警",
            description: "【演示数据，非真实预警】受持续降雨影响，浮梁县发生崩塌、滑坡、泥石流等地质灾害的风险较高。",
            instruction: "居住在山坡下、沟谷口和地质灾害隐患点附近的群众注意观察；发现山体开裂、房屋变形、泉水突然变浑等异常，立即撤离到安全地带并报告村（社区）。雨天不要在山脚、沟边停留。",
            area: "浮梁县",
        },
        en: Texts {
            event: "Geological hazard risk",
            headline: "[DEMO SAMPLE] Yellow geological hazard risk warning for Fuliang County",
            description: "[Sample data, not a real warning] After days of rain, the risk of rockfalls, landslides and mudslides in Fuliang County is high.",
            instruction: "If you live below slopes, at the mouth of gullies or near known hazard spots, watch for cracks in slopes, deforming houses or springs turning muddy; if you see any, leave for safe ground at once and tell your village or community. Do not linger at the foot of slopes or by streams in the rain.",
            area: "Fuliang County",
        },
    },
    Sample {
        key: "forest-fire",
        msg_type: "Alert",
        references: None,
        minutes_ago: 300,
        hours_left: 30,
        category: "Fire",
        urgency: "Future",
        severity: "Moderate",
        colour: "黄色",
        codes: &["360281000000"],
        zh: Texts {
            event: "森林火险",
            headline: "【演示样例】乐平市发布森林火险黄色预警",
            description: "【演示数据，非真实预警】乐平市林区森林火险等级较高，林内可燃物较易燃烧。",
            instruction: "严禁野外用火：不烧荒、不上坟烧纸、不在林区燃放烟花爆竹和吸烟。发现山火立即拨打 12119 森林火警电话或 119，不要自行扑救大火，沿逆风方向向已烧过或无植被的地带撤离。",
            area: "乐平市",
        },
        en: Texts {
            event: "Forest fire danger",
            headline: "[DEMO SAMPLE] Yellow forest fire danger warning for Leping",
            description: "[Sample data, not a real warning] The forest fire danger in Leping's woodland is high; dry plant matter catches fire easily.",
            instruction: "No fire outdoors: no burning of fields, no burning paper at graves, no fireworks or smoking in woodland. If you see a forest fire, call 12119 (forest fire line) or 119 at once; do not fight a large fire yourself; leave against the wind towards burnt or bare ground.",
            area: "Leping City",
        },
    },
    Sample {
        key: "gale-blue",
        msg_type: "Alert",
        references: None,
        minutes_ago: 240,
        hours_left: 12,
        category: "Met",
        urgency: "Expected",
        severity: "Minor",
        colour: "蓝色",
        codes: &["360200000000"],
        zh: Texts {
            event: "大风",
            headline: "【演示样例】景德镇市气象台发布大风蓝色预警信号",
            description: "【演示数据，非真实预警】预计24小时内全市平均风力可达6级以上。",
            instruction: "关好门窗，加固围板、棚架、广告牌等易被风吹动的搭建物，妥善安置易受大风影响的室外物品；行人注意尽量少骑自行车，刮风时不要在广告牌、临时搭建物等下面逗留。",
            area: "景德镇市",
        },
        en: Texts {
            event: "Gale",
            headline: "[DEMO SAMPLE] Blue gale warning for Jingdezhen",
            description: "[Sample data, not a real warning] Mean winds of force 6 or more are expected across the city within 24 hours.",
            instruction: "Close doors and windows; secure hoardings, scaffolds, billboards and anything the wind can move. Cycle as little as possible, and do not stand under billboards or temporary structures in the wind.",
            area: "Jingdezhen City",
        },
    },
    Sample {
        key: "gale-cancel",
        msg_type: "Cancel",
        references: Some("gale-blue"),
        minutes_ago: 20,
        hours_left: 1,
        category: "Met",
        urgency: "Past",
        severity: "Minor",
        colour: "蓝色",
        codes: &["360200000000"],
        zh: Texts {
            event: "大风",
            headline: "【演示样例】景德镇市气象台解除大风蓝色预警信号",
            description: "【演示数据，非真实预警】风力已明显减弱。",
            instruction: "大风预警已解除。",
            area: "景德镇市",
        },
        en: Texts {
            event: "Gale",
            headline: "[DEMO SAMPLE] Blue gale warning lifted",
            description: "[Sample data, not a real warning] The wind has dropped.",
            instruction: "The gale warning has been lifted.",
            area: "Jingdezhen City",
        },
    },
];

/// Stores the sample warnings with times relative to `now`; returns their verdicts.
pub async fn load(ingest: &Ingest, now: DateTime<Utc>) -> Result<Vec<Verdict>, StorageError> {
    let run = now.format("%Y%m%d%H%M%S").to_string();
    let identifier = |key: &str| format!("DEMO-{run}-{key}");
    let sent_of = |sample: &Sample| cap_time(now - Duration::minutes(sample.minutes_ago));
    let mut verdicts = Vec::new();
    for sample in SAMPLES {
        let references = sample
            .references
            .and_then(|key| SAMPLES.iter().find(|s| s.key == key))
            .map(|target| {
                format!(
                    "<references>{DEMO_SENDER},{},{}</references>",
                    identifier(target.key),
                    sent_of(target)
                )
            })
            .unwrap_or_default();
        let expires = cap_time(now + Duration::hours(sample.hours_left));
        let infos = [("zh-CN", &sample.zh), ("en-US", &sample.en)]
            .iter()
            .map(|(lang, texts)| info(sample, lang, texts, &expires))
            .collect::<String>();
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{id}</identifier>
  <sender>{DEMO_SENDER}</sender>
  <sent>{sent}</sent>
  <status>Actual</status>
  <msgType>{msg_type}</msgType>
  <source>Safe Jingdezhen demo mode</source>
  <scope>Public</scope>
  <note>演示数据 DEMO: a sample written for Safe Jingdezhen, not a real warning.</note>
  {references}{infos}
</alert>"#,
            id = identifier(sample.key),
            sent = sent_of(sample),
            msg_type = sample.msg_type,
        );
        verdicts.push(ingest.receive(crate::warnings::sources::DEMO_SOURCE, xml.as_bytes(), now).await?);
    }
    Ok(verdicts)
}

fn info(sample: &Sample, lang: &str, texts: &Texts, expires: &str) -> String {
    let geocodes = sample
        .codes
        .iter()
        .map(|code| {
            format!("<geocode><valueName>CPEAS Geographic Code</valueName><value>{code}</value></geocode>")
        })
        .collect::<String>();
    format!(
        r#"
  <info>
    <language>{lang}</language>
    <category>{category}</category>
    <event>{event}</event>
    <urgency>{urgency}</urgency>
    <severity>{severity}</severity>
    <certainty>Likely</certainty>
    <expires>{expires}</expires>
    <senderName>{sender_name}</senderName>
    <headline>{headline}</headline>
    <description>{description}</description>
    <instruction>{instruction}</instruction>
    <parameter><valueName>预警级别</valueName><value>{colour}</value></parameter>
    <area><areaDesc>{area}</areaDesc>{geocodes}</area>
  </info>"#,
        category = sample.category,
        event = texts.event,
        urgency = sample.urgency,
        severity = sample.severity,
        sender_name = if lang == "zh-CN" {
            "演示样例（非真实发布单位）"
        } else {
            "Demo sample (not a real issuer)"
        },
        headline = texts.headline,
        description = texts.description,
        instruction = texts.instruction,
        colour = sample.colour,
        area = texts.area,
    )
}

fn cap_time(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use safejdz_app::domain::cap::{ColourLevel, ParseOptions, parse_alert};

    #[test]
    fn every_sample_is_valid_cap_labelled_as_a_sample() {
        for sample in SAMPLES {
            let info = info(sample, "zh-CN", &sample.zh, "2026-07-04T12:00:00+00:00");
            let xml = format!(
                r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier><sender>{DEMO_SENDER}</sender>
                <sent>2026-07-04T10:00:00+00:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>{info}</alert>"#
            );
            let parsed = parse_alert(xml.as_bytes(), &ParseOptions::default()).expect("sample is valid CAP");
            let info = &parsed.alert.infos[0];
            assert!(info.headline.as_deref().is_some_and(|h| h.contains("演示")), "{}", sample.key);
            assert!(info.colour.is_some(), "{} has a colour level", sample.key);
            assert!(
                sample.en.headline.contains("DEMO") && sample.en.description.contains("Sample"),
                "{}",
                sample.key
            );
        }
        let rain = SAMPLES.iter().find(|s| s.key == "rain-orange").expect("present");
        assert_eq!(ColourLevel::from_value(rain.colour), Some(ColourLevel::Orange));
    }
}
