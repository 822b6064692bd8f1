//! The public API's own types for an alert (`/api/v1/alerts`, and the gateways' webhook): the
//! contract written out field by field, built from the domain model. Renaming a domain field
//! changes this conversion, never the JSON residents' apps and operators' gateways read.

use chrono::{DateTime, FixedOffset, Utc};
use safejdz_app::domain::{
    cap::{Alert, Area, Circle, Info, NamedValue, Point, Polygon, Reference, Resource},
    lifecycle::Lifecycle,
    matching::Coverage,
};
use serde::Serialize;

/// One alert as `/api/v1/alerts` shows it.
#[derive(Debug, Serialize)]
pub struct AlertResource<'a> {
    pub id: i64,
    pub lifecycle: LifecycleView,
    pub received_at: DateTime<Utc>,
    pub links: Links,
    /// With `at`/`code`: why the alert covers that place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<&'static str>,
    pub version: &'static str,
    pub identifier: &'a str,
    pub sender: &'a str,
    pub sent: DateTime<FixedOffset>,
    pub status: &'static str,
    pub msg_type: &'static str,
    pub source: Option<&'a str>,
    pub scope: &'static str,
    pub restriction: Option<&'a str>,
    pub addresses: Option<&'a str>,
    pub codes: &'a [String],
    pub note: Option<&'a str>,
    pub references: Vec<ReferenceView<'a>>,
    pub incidents: Option<&'a str>,
    pub infos: Vec<InfoView<'a>>,
    pub has_signature: bool,
}

#[derive(Debug, Serialize)]
pub struct Links {
    #[serde(rename = "self")]
    pub this: String,
    pub cap: String,
}

/// Where a message stands: `{"state": "superseded", "by": 12}`.
#[derive(Debug, Serialize)]
pub struct LifecycleView {
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct ReferenceView<'a> {
    pub sender: &'a str,
    pub identifier: &'a str,
    pub sent: &'a str,
}

#[derive(Debug, Serialize)]
pub struct NamedValueView<'a> {
    pub value_name: &'a str,
    pub value: &'a str,
}

#[derive(Debug, Serialize)]
pub struct InfoView<'a> {
    pub language: &'a str,
    pub categories: Vec<&'static str>,
    pub event: &'a str,
    pub response_types: Vec<&'static str>,
    pub urgency: &'static str,
    pub severity: &'static str,
    pub certainty: &'static str,
    pub colour: Option<&'static str>,
    pub audience: Option<&'a str>,
    pub event_codes: Vec<NamedValueView<'a>>,
    pub effective: Option<DateTime<FixedOffset>>,
    pub onset: Option<DateTime<FixedOffset>>,
    pub expires: Option<DateTime<FixedOffset>>,
    pub sender_name: Option<&'a str>,
    pub headline: Option<&'a str>,
    pub description: Option<&'a str>,
    pub instruction: Option<&'a str>,
    pub web: Option<&'a str>,
    pub contact: Option<&'a str>,
    pub parameters: Vec<NamedValueView<'a>>,
    pub resources: Vec<ResourceView<'a>>,
    pub areas: Vec<AreaView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ResourceView<'a> {
    pub resource_desc: &'a str,
    pub mime_type: &'a str,
    pub size: Option<u64>,
    pub uri: Option<&'a str>,
    pub deref_uri: Option<&'a str>,
    pub digest: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct AreaView<'a> {
    pub area_desc: &'a str,
    pub polygons: Vec<PolygonView>,
    pub circles: Vec<CircleView>,
    pub geocodes: Vec<NamedValueView<'a>>,
    pub altitude: Option<f64>,
    pub ceiling: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct PolygonView {
    pub points: Vec<PointView>,
}

#[derive(Debug, Serialize)]
pub struct CircleView {
    pub center: PointView,
    pub radius_km: f64,
}

#[derive(Debug, Serialize)]
pub struct PointView {
    pub lat: f64,
    pub lon: f64,
}

impl<'a> AlertResource<'a> {
    /// The resource of the stored alert `id`.
    pub fn new(
        id: i64,
        alert: &'a Alert,
        lifecycle: Lifecycle,
        received_at: DateTime<Utc>,
        coverage: Option<Coverage>,
    ) -> AlertResource<'a> {
        AlertResource {
            id,
            lifecycle: LifecycleView::of(lifecycle),
            received_at,
            links: Links { this: format!("/api/v1/alerts/{id}"), cap: format!("/api/v1/alerts/{id}.cap") },
            coverage: coverage.map(coverage_name),
            version: alert.version.as_str(),
            identifier: &alert.identifier,
            sender: &alert.sender,
            sent: alert.sent,
            status: alert.status.as_str(),
            msg_type: alert.msg_type.as_str(),
            source: alert.source.as_deref(),
            scope: alert.scope.as_str(),
            restriction: alert.restriction.as_deref(),
            addresses: alert.addresses.as_deref(),
            codes: &alert.codes,
            note: alert.note.as_deref(),
            references: alert.references.iter().map(ReferenceView::of).collect(),
            incidents: alert.incidents.as_deref(),
            infos: alert.infos.iter().map(InfoView::of).collect(),
            has_signature: alert.has_signature,
        }
    }
}

impl LifecycleView {
    pub fn of(lifecycle: Lifecycle) -> LifecycleView {
        let (state, by) = match lifecycle {
            Lifecycle::Active => ("active", None),
            Lifecycle::Superseded { by } => ("superseded", Some(by)),
            Lifecycle::Cancelled { by } => ("cancelled", Some(by)),
            Lifecycle::Lifted { by } => ("lifted", Some(by)),
            Lifecycle::Expired => ("expired", None),
            Lifecycle::Notice => ("notice", None),
            Lifecycle::NotActual => ("not_actual", None),
        };
        LifecycleView { state, by }
    }
}

impl<'a> ReferenceView<'a> {
    pub fn of(reference: &'a Reference) -> ReferenceView<'a> {
        ReferenceView { sender: &reference.sender, identifier: &reference.identifier, sent: &reference.sent }
    }
}

impl<'a> NamedValueView<'a> {
    fn of(named: &'a NamedValue) -> NamedValueView<'a> {
        NamedValueView { value_name: &named.value_name, value: &named.value }
    }
}

impl<'a> InfoView<'a> {
    fn of(info: &'a Info) -> InfoView<'a> {
        InfoView {
            language: &info.language,
            categories: info.categories.iter().map(|c| c.as_str()).collect(),
            event: &info.event,
            response_types: info.response_types.iter().map(|r| r.as_str()).collect(),
            urgency: info.urgency.as_str(),
            severity: info.severity.as_str(),
            certainty: info.certainty.as_str(),
            colour: info.colour.map(|c| c.as_str()),
            audience: info.audience.as_deref(),
            event_codes: info.event_codes.iter().map(NamedValueView::of).collect(),
            effective: info.effective,
            onset: info.onset,
            expires: info.expires,
            sender_name: info.sender_name.as_deref(),
            headline: info.headline.as_deref(),
            description: info.description.as_deref(),
            instruction: info.instruction.as_deref(),
            web: info.web.as_deref(),
            contact: info.contact.as_deref(),
            parameters: info.parameters.iter().map(NamedValueView::of).collect(),
            resources: info.resources.iter().map(ResourceView::of).collect(),
            areas: info.areas.iter().map(AreaView::of).collect(),
        }
    }
}

impl<'a> ResourceView<'a> {
    fn of(resource: &'a Resource) -> ResourceView<'a> {
        ResourceView {
            resource_desc: &resource.resource_desc,
            mime_type: &resource.mime_type,
            size: resource.size,
            uri: resource.uri.as_deref(),
            deref_uri: resource.deref_uri.as_deref(),
            digest: resource.digest.as_deref(),
        }
    }
}

impl<'a> AreaView<'a> {
    pub fn of(area: &'a Area) -> AreaView<'a> {
        AreaView {
            area_desc: &area.area_desc,
            polygons: area.polygons.iter().map(PolygonView::of).collect(),
            circles: area.circles.iter().map(CircleView::of).collect(),
            geocodes: area.geocodes.iter().map(NamedValueView::of).collect(),
            altitude: area.altitude,
            ceiling: area.ceiling,
        }
    }
}

impl PolygonView {
    fn of(polygon: &Polygon) -> PolygonView {
        PolygonView { points: polygon.points.iter().map(|p| PointView::of(*p)).collect() }
    }
}

impl CircleView {
    fn of(circle: &Circle) -> CircleView {
        CircleView { center: PointView::of(circle.center), radius_km: circle.radius_km }
    }
}

impl PointView {
    fn of(point: Point) -> PointView {
        PointView { lat: point.lat, lon: point.lon }
    }
}

fn coverage_name(coverage: Coverage) -> &'static str {
    match coverage {
        Coverage::Polygon => "polygon",
        Coverage::Circle => "circle",
        Coverage::Geocode => "geocode",
        Coverage::CityWide => "city-wide",
    }
}
