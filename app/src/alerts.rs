//! Warnings: the home page and one warning's page, where the warning pipeline (feed → matching
//! → resident) lands.

mod api;
mod live;
mod notifications_api;
mod notifications_panel;
mod read_aloud;
mod use_location;
mod warning_page;
mod warnings_page;

#[cfg(feature = "ssr")]
pub(crate) use api::saved_places;
#[cfg(feature = "ssr")]
pub use api::{
    BackendError, Pending, ReadingBackend, StoredHistoryEntry, StoredWarning, WarningsBackend,
    WarningsInForce, picker,
};
pub use api::{
    ForgetPlace, HistoryEntry, HomePage, HomeWarnings, LoadWarning, NearbyShelter, NearbyShelters,
    PickerGroup, ReadingLink, SavePlace, WarningDetail, forget_place, home_warnings, load_warning,
    save_place,
};
pub use live::{LiveUpdates, SHELTER_STREAM};
#[cfg(feature = "ssr")]
pub use notifications_api::{NewSubscription, PushBackend, PushPending, PushRefusal};
pub use notifications_api::{
    NotificationState, PushState, SetNotificationLevels, SubscribeNotifications, TestNotification,
    UnsubscribeNotifications, notification_state, set_notification_levels, subscribe_notifications,
    test_notification, unsubscribe_notifications,
};
pub use notifications_panel::NotificationsPanel;
pub use read_aloud::ReadAloud;
pub use use_location::UseMyLocation;
pub use warning_page::WarningPage;

/// The bundle of the warnings pages' islands (live updates, use my location, read aloud).
pub const WARNINGS_BUNDLE: &str = "warnings";
/// The bundle of the notifications switch (the settings page).
pub const NOTIFY_BUNDLE: &str = "notify";
pub use warnings_page::{Card as WarningCardView, WarningsPage};
