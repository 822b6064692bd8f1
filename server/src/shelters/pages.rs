//! The register as the resident pages read it (the app's `SheltersBackend`).

use std::sync::Arc;

use safejdz_app::shelters::{RegisterError, RegisterPending, SheltersBackend};

use crate::platform::store::Store;

/// Reads the register from the store on every page: a few hundred rows at most, and a
/// volunteer's report must show on the next page load.
pub struct PageShelters {
    store: Store,
}

impl PageShelters {
    pub fn backend(store: Store) -> Arc<dyn SheltersBackend> {
        Arc::new(PageShelters { store })
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
}
