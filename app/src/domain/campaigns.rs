//! The library's campaign calendar (issue 14): the national days of the plan, held every year,
//! and the bureau's own campaigns from the configuration; which run on a date (the city's), and
//! the checks a configured one passes. During a campaign `/learn` shows its banner and articles.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::learn::is_slug;

/// A campaign: dates during which the library shows a banner and a set of articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    /// A key for the fluent name of a built-in campaign (`learn-campaign-<key>`), or any
    /// lower-case key for a configured one.
    pub key: String,
    /// A configured campaign's own names; a built-in one's come from the locales.
    #[serde(default)]
    pub name_zh: Option<String>,
    #[serde(default)]
    pub name_en: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Slugs of the articles it shows, in order.
    pub articles: Vec<String>,
}

/// A campaign held every year: its day or month, and the days shown around it.
struct YearlyCampaign {
    key: &'static str,
    /// Month and first day, month and last day.
    from: (u32, u32),
    to: (u32, u32),
    articles: &'static [&'static str],
}

/// The national days of the plan. A one-day campaign shows from three days before the day to
/// three days after it (the library's choice: a week around the day); 安全生产月 is June.
const YEARLY_CAMPAIGNS: [YearlyCampaign; 4] = [
    YearlyCampaign {
        // 全国防灾减灾日, 12 May.
        key: "disaster-prevention-day",
        from: (5, 9),
        to: (5, 15),
        articles: &[
            "earthquake",
            "family-emergency-kit",
            "shelters",
            "how-warnings-reach-you",
            "warning-signals",
        ],
    },
    YearlyCampaign {
        // 安全生产月, June.
        key: "work-safety-month",
        from: (6, 1),
        to: (6, 30),
        articles: &[
            "gas-kiln-safety",
            "hazardous-chemicals",
            "gas-safety-home",
            "home-fire-escape",
            "first-aid-cpr-aed",
        ],
    },
    YearlyCampaign {
        // 国际减灾日, 13 October.
        key: "disaster-reduction-day",
        from: (10, 10),
        to: (10, 16),
        articles: &[
            "floods-waterlogging",
            "landslides-debris-flows",
            "family-emergency-kit",
            "helping-vulnerable-neighbours",
            "shelters",
        ],
    },
    YearlyCampaign {
        // 全国消防日, 9 November.
        key: "fire-safety-day",
        from: (11, 6),
        to: (11, 12),
        articles: &[
            "home-fire-escape",
            "gas-safety-home",
            "forest-fire",
            "first-aid-bleeding-burns-fractures",
        ],
    },
];

/// The built-in campaigns of `year`.
pub fn yearly_campaigns(year: i32) -> Vec<Campaign> {
    YEARLY_CAMPAIGNS
        .iter()
        .filter_map(|campaign| {
            Some(Campaign {
                key: campaign.key.to_owned(),
                name_zh: None,
                name_en: None,
                from: NaiveDate::from_ymd_opt(year, campaign.from.0, campaign.from.1)?,
                to: NaiveDate::from_ymd_opt(year, campaign.to.0, campaign.to.1)?,
                articles: campaign.articles.iter().map(|slug| (*slug).to_owned()).collect(),
            })
        })
        .collect()
}

/// The campaigns running on `today` (the city's date): the configured ones first, then the
/// built-in ones of this year.
pub fn campaigns_on(today: NaiveDate, configured: &[Campaign]) -> Vec<Campaign> {
    configured
        .iter()
        .cloned()
        .chain(yearly_campaigns(today.year()))
        .filter(|campaign| campaign.from <= today && today <= campaign.to)
        .collect()
}

/// Problems of a configured campaign, named by its key and field.
pub fn campaign_problems(campaign: &Campaign, known_slugs: &BTreeSet<&str>) -> Vec<String> {
    let mut problems = Vec::new();
    let key = &campaign.key;
    if !is_slug(key) {
        problems.push(format!("campaign {key:?}: field key: is not lower-case letters, digits and '-'"));
    }
    if campaign.name_zh.as_deref().is_none_or(|n| n.trim().is_empty())
        || campaign.name_en.as_deref().is_none_or(|n| n.trim().is_empty())
    {
        problems.push(format!(
            "campaign {key:?}: fields name_zh, name_en: a configured campaign needs both names"
        ));
    }
    if campaign.to < campaign.from {
        problems.push(format!("campaign {key:?}: field to: ends before it starts"));
    }
    if campaign.articles.is_empty() {
        problems.push(format!("campaign {key:?}: field articles: names none"));
    }
    for slug in &campaign.articles {
        if !known_slugs.contains(slug.as_str()) {
            problems.push(format!("campaign {key:?}: field articles: {slug:?} is no article"));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_campaigns_run_on_their_dates_configured_ones_first() {
        let day = |m, d| NaiveDate::from_ymd_opt(2027, m, d).expect("a date");
        let keys = |today, configured: &[Campaign]| -> Vec<String> {
            campaigns_on(today, configured).into_iter().map(|c| c.key).collect()
        };
        assert_eq!(keys(day(5, 12), &[]), ["disaster-prevention-day"]);
        assert_eq!(keys(day(5, 8), &[]), Vec::<String>::new());
        assert_eq!(keys(day(6, 1), &[]), ["work-safety-month"]);
        assert_eq!(keys(day(6, 30), &[]), ["work-safety-month"]);
        assert_eq!(keys(day(10, 13), &[]), ["disaster-reduction-day"]);
        assert_eq!(keys(day(11, 9), &[]), ["fire-safety-day"]);
        assert_eq!(keys(day(11, 13), &[]), Vec::<String>::new());
        let flood_season = Campaign {
            key: "flood-season".into(),
            name_zh: Some("主汛期".into()),
            name_en: Some("Flood season".into()),
            from: day(6, 1),
            to: day(7, 31),
            articles: vec!["floods-waterlogging".into()],
        };
        assert_eq!(
            keys(day(6, 15), std::slice::from_ref(&flood_season)),
            ["flood-season", "work-safety-month"]
        );
        assert_eq!(keys(day(7, 15), std::slice::from_ref(&flood_season)), ["flood-season"]);
    }

    #[test]
    fn a_configured_campaign_needs_names_dates_in_order_and_real_articles() {
        let known: BTreeSet<&str> = ["floods-waterlogging"].into_iter().collect();
        let campaign = Campaign {
            key: "Flood Season".into(),
            name_zh: Some("主汛期".into()),
            name_en: None,
            from: NaiveDate::from_ymd_opt(2027, 7, 1).expect("a date"),
            to: NaiveDate::from_ymd_opt(2027, 6, 1).expect("a date"),
            articles: vec!["floods-waterlogging".into(), "tsunami".into()],
        };
        assert_eq!(
            campaign_problems(&campaign, &known),
            [
                "campaign \"Flood Season\": field key: is not lower-case letters, digits and '-'",
                "campaign \"Flood Season\": fields name_zh, name_en: a configured campaign needs both names",
                "campaign \"Flood Season\": field to: ends before it starts",
                "campaign \"Flood Season\": field articles: \"tsunami\" is no article",
            ]
        );
    }
}
