//! The register as the resident pages read it (the app's `SheltersBackend`).

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use safejdz_app::{
    domain::shelters::Freshness,
    shelters::{RegisterError, RegisterPending, SheltersBackend},
};

use crate::platform::store::Store;

/// Reads the register from the store on every page: a few hundred rows at most, and a
/// volunteer's report must show on the next page load.
pub struct PageShelters {
    store: Store,
    stale_after: Duration,
}

impl PageShelters {
    pub fn backend(store: Store, stale_after: Duration) -> Arc<dyn SheltersBackend> {
        Arc::new(PageShelters { store, stale_after })
    }
}

impl SheltersBackend for PageShelters {
    fn register(
        &self,
    ) -> RegisterPending<
        '_,
        Vec<(safejdz_app::domain::shelters::Shelter, Option<safejdz_app::domain::shelters::ShelterStatus>)>,
    > {
        Box::pin(async move { self.store.shelters().await.map_err(|e| RegisterError(Box::new(e))) })
    }

    fn freshness(&self, now: DateTime<Utc>) -> Freshness {
        Freshness { now, stale_after: self.stale_after }
    }
}
