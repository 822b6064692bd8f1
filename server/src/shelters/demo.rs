//! The sample register of `serve --demo`. No public list of Jingdezhen's designated shelters
//! could be found, so this pretends to be none: 34 sample points, each marked sample (shown as
//! 示例数据 / sample data wherever it appears) and each saying how its position was obtained
//! (`server/data/demo-shelters.csv`, sources in server/data/README.md). Importing the bureau's
//! register (rows not marked sample) removes them.

use chrono::{DateTime, Utc};
use safejdz_app::domain::shelters::{ShelterState, ShelterStatus};

use super::import;
use crate::platform::store::{StorageError, Store};

/// The sample register, in the import's CSV columns.
pub const SAMPLE_REGISTER: &str = include_str!("../../data/demo-shelters.csv");

/// Loads the sample register (replacing the sample rows by id) and reports each sample
/// shelter's state as the demo's volunteer would: most open, every fifth full. Leaves a
/// register the bureau imported alone.
pub async fn load(store: &Store, now: DateTime<Utc>) -> Result<usize, StorageError> {
    let shelters = import::read_register(SAMPLE_REGISTER).unwrap_or_else(|problems| {
        panic!("the sample register is a file of this crate and reads: {problems:?}")
    });
    if store.shelters().await?.iter().any(|(shelter, _)| !shelter.sample) {
        tracing::info!("the bureau's register is loaded: the sample register is not");
        return Ok(0);
    }
    store.import_shelters(&shelters, now).await?;
    for (n, shelter) in shelters.iter().enumerate() {
        let state = if n % 5 == 4 { ShelterState::Full } else { ShelterState::Open };
        let status = ShelterStatus { state, occupancy: None, updated_at: now, updated_by: "demo".into() };
        store.report_shelter_status(&shelter.id, &status).await?;
    }
    Ok(shelters.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_register_reads_and_every_row_is_sample_with_its_source() {
        let shelters = import::read_register(SAMPLE_REGISTER).expect("reads");
        assert_eq!(shelters.len(), 34);
        for shelter in &shelters {
            assert!(shelter.sample, "{}", shelter.id.as_str());
            assert!(shelter.id.as_str().starts_with("sample-"), "cannot collide with the bureau's ids");
            assert!(shelter.name_zh.contains("示例"), "{}", shelter.name_zh);
            assert!(shelter.name_en.as_deref().is_some_and(|n| n.contains("ample")), "{:?}", shelter.name_en);
            let source = shelter.position_source.as_deref().unwrap_or_default();
            assert!(source.contains("GeoNames") || source.contains("wikipedia"), "{source}");
        }
    }
}
