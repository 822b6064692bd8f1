//! Drawing a warning's polygon or circle on the city map, as an island of the compose form.
//! The map (the server's SVG of the districts) is the island's child; the island lays an SVG
//! of the same size over it, turns clicks into points with the map's own projection (GCJ-02,
//! the outlines' datum, converted to CAP's WGS-84) and writes CAP's `lat,lon …` into the form's
//! polygon and circle fields. Those fields are plain inputs,
//! so without JavaScript (or with a keyboard) the area is typed, and what is typed is drawn.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        cap::Point,
        compose::FieldProblem,
        datum::wgs84_to_gcj02,
        map::{DrawingMap, MapDistrict, Projection, circle_of, circle_text, points_of, polygon_text},
    },
    i18n::{translate, use_preferences},
};

/// The drawing's words, translated on the server, and the form's problems with the fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrawingTexts {
    pub map_label: String,
    pub draw_polygon: String,
    pub draw_circle: String,
    pub undo: String,
    pub clear: String,
    pub polygon_hint: String,
    pub circle_hint: String,
    pub polygon_label: String,
    pub circle_label: String,
    pub polygon_problem: Option<String>,
    pub circle_problem: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Polygon,
    Circle,
}

/// The map with its drawing tools and the two fields. `projection` is the one that drew the
/// child map; `polygon` and `circle` are what the form holds.
// An island in the server build and in the `islands-staff` bundle; elsewhere a plain component
// that nothing in the browser calls, so it leaves no code there.
#[cfg_attr(any(feature = "ssr", feature = "islands-staff"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "islands-staff")), component)]
pub fn AreaDrawing(
    projection: Projection,
    polygon: String,
    circle: String,
    texts: DrawingTexts,
    children: Children,
) -> impl IntoView {
    let DrawingTexts {
        map_label,
        draw_polygon,
        draw_circle,
        undo,
        clear,
        polygon_hint,
        circle_hint,
        polygon_label,
        circle_label,
        polygon_problem,
        circle_problem,
    } = texts;
    let polygon_text_now = RwSignal::new(polygon.clone());
    let circle_text_now = RwSignal::new(circle.clone());
    // The corners clicked so far: a polygon's text exists only from three of them on.
    let vertices = RwSignal::new(points_of(&polygon).unwrap_or_default());
    // A circle's centre, clicked, waiting for a point on its edge.
    let centre = RwSignal::new(None::<Point>);
    let tool = RwSignal::new(Tool::Polygon);

    let add_point = move |point: Point| match tool.get_untracked() {
        Tool::Polygon => {
            vertices.update(|v| v.push(point));
            polygon_text_now.set(polygon_text(&vertices.get_untracked()));
        }
        Tool::Circle => match centre.get_untracked() {
            None => centre.set(Some(point)),
            Some(middle) => {
                circle_text_now.set(circle_text(middle, point));
                centre.set(None);
            }
        },
    };
    let on_map_click = move |event: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(point) = browser::clicked_point(&event, projection) {
            add_point(point);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&event, add_point);
    };
    let undo_last = move |_| match tool.get_untracked() {
        Tool::Polygon => {
            vertices.update(|v| {
                v.pop();
            });
            polygon_text_now.set(polygon_text(&vertices.get_untracked()));
        }
        Tool::Circle => {
            centre.set(None);
            circle_text_now.set(String::new());
        }
    };
    let clear_all = move |_| {
        vertices.set(Vec::new());
        centre.set(None);
        polygon_text_now.set(String::new());
        circle_text_now.set(String::new());
    };

    // CAP points are WGS-84; the map's outlines are GCJ-02: drawn and read in the outlines' datum.
    let xy = move |point: Point| projection.project(wgs84_to_gcj02(point));
    let outline = move || {
        let points = vertices.get();
        let mut d = String::new();
        for (i, point) in points.iter().enumerate() {
            let (x, y) = xy(*point);
            d.push_str(&format!("{}{x:.1} {y:.1} ", if i == 0 { "M" } else { "L" }));
        }
        if points.len() >= 3 {
            d.push('Z');
        }
        d
    };
    let corners = move || {
        vertices
            .get()
            .into_iter()
            .map(|point| {
                let (x, y) = xy(point);
                view! { <circle class="drawing-corner" cx=format!("{x:.1}") cy=format!("{y:.1}") r="4"/> }
            })
            .collect_view()
    };
    let drawn_circle = move || {
        circle_of(&circle_text_now.get()).map(|(middle, radius_km)| {
            let (x, y) = xy(middle);
            let r = radius_km * projection.units_per_km();
            view! { <circle class="map-area" cx=format!("{x:.1}") cy=format!("{y:.1}") r=format!("{r:.1}")/> }
        })
    };
    let pending_centre = move || {
        centre.get().map(|middle| {
            let (x, y) = xy(middle);
            view! { <circle class="drawing-corner" cx=format!("{x:.1}") cy=format!("{y:.1}") r="4"/> }
        })
    };
    let hint = move || if tool.get() == Tool::Polygon { polygon_hint.clone() } else { circle_hint.clone() };
    let view_box = format!("0 0 {:.0} {:.0}", projection.width, projection.height);
    let polygon_described = polygon_problem.is_some().then_some("polygon-error");
    let circle_described = circle_problem.is_some().then_some("circle-error");

    view! {
        <div class="area-drawing">
            <div class="area-drawing__canvas">
                {children()}
                <svg class="area-drawing__overlay" viewBox=view_box role="img" aria-label=map_label on:click=on_map_click>
                    <path class="map-area" d=outline/>
                    {corners}
                    {drawn_circle}
                    {pending_centre}
                </svg>
            </div>
            <div class="area-drawing__tools needs-js" role="group">
                <button type="button" class="button" aria-pressed=move || (tool.get() == Tool::Polygon).to_string()
                    on:click=move |_| { tool.set(Tool::Polygon); centre.set(None); }>{draw_polygon}</button>
                <button type="button" class="button" aria-pressed=move || (tool.get() == Tool::Circle).to_string()
                    on:click=move |_| tool.set(Tool::Circle)>{draw_circle}</button>
                <button type="button" class="button" on:click=undo_last>{undo}</button>
                <button type="button" class="button" on:click=clear_all>{clear}</button>
            </div>
            <p class="hint needs-js" aria-live="polite">{hint}</p>
            <label for="f-polygon">{polygon_label}</label>
            <input id="f-polygon" name="polygon" type="text" value=polygon aria-describedby=polygon_described
                prop:value=move || polygon_text_now.get()
                on:input=move |event| {
                    let typed = event_target_value(&event);
                    vertices.set(points_of(&typed).unwrap_or_default());
                    polygon_text_now.set(typed);
                }/>
            {polygon_problem.map(|p| view! { <p class="field-error" id="polygon-error">{p}</p> })}
            <label for="f-circle">{circle_label}</label>
            <input id="f-circle" name="circle" type="text" value=circle aria-describedby=circle_described
                prop:value=move || circle_text_now.get()
                on:input=move |event| circle_text_now.set(event_target_value(&event))/>
            {circle_problem.map(|p| view! { <p class="field-error" id="circle-error">{p}</p> })}
        </div>
    }
}

/// The compose form's area fields: the drawing island over the districts map, its words and
/// the form's problems with the polygon and circle (a server component).
#[component]
pub fn AreaFields(polygon: String, circle: String, problems: Vec<FieldProblem>) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let problem_words =
        |field: &str| problems.iter().find(|p| p.field == field).map(|p| translate(lang, &p.message_id));
    let drawing = drawing_map();
    let drawing_texts = DrawingTexts {
        map_label: translate(lang, "compose-map-label"),
        draw_polygon: translate(lang, "compose-draw-polygon"),
        draw_circle: translate(lang, "compose-draw-circle"),
        undo: translate(lang, "compose-draw-undo"),
        clear: translate(lang, "compose-draw-clear"),
        polygon_hint: translate(lang, "compose-draw-polygon-hint"),
        circle_hint: translate(lang, "compose-draw-circle-hint"),
        polygon_label: translate(lang, "compose-field-polygon"),
        circle_label: translate(lang, "compose-field-circle"),
        polygon_problem: problem_words("polygon"),
        circle_problem: problem_words("circle"),
    };
    view! {
        <AreaDrawing projection=drawing.projection polygon circle texts=drawing_texts>
            <DistrictsMap districts=drawing.districts width=drawing.projection.width height=drawing.projection.height/>
        </AreaDrawing>
    }
}

/// The city map the console draws areas on (districts only; drawn by the server).
#[cfg(feature = "ssr")]
fn drawing_map() -> DrawingMap {
    crate::domain::map::jingdezhen().drawing(600.0)
}

/// The browser build never renders the form (it is no island).
#[cfg(not(feature = "ssr"))]
fn drawing_map() -> DrawingMap {
    DrawingMap::default()
}

/// The districts under the drawing: outlines and names, decorative (the overlay is the image).
#[component]
fn DistrictsMap(districts: Vec<MapDistrict>, width: f64, height: f64) -> impl IntoView {
    view! {
        <svg class="area-drawing__base" viewBox=format!("0 0 {width:.0} {height:.0}") aria-hidden="true" focusable="false">
            {districts.into_iter().map(|d| view! {
                <path class="map-district" d=d.d/>
                <text class="map-label" x=format!("{:.1}", d.label.0) y=format!("{:.1}", d.label.1)>{d.name}</text>
            }).collect_view()}
        </svg>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::JsCast;

    use crate::domain::{cap::Point, datum::gcj02_to_wgs84, map::Projection};

    /// Where on the map a click fell: the overlay is drawn at the map's size, so its box in the
    /// page scales to the projection's units.
    pub fn clicked_point(event: &web_sys::MouseEvent, projection: Projection) -> Option<Point> {
        let element = event.current_target()?.dyn_into::<web_sys::Element>().ok()?;
        let rect = element.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return None;
        }
        let x = (f64::from(event.client_x()) - rect.left()) * projection.width / rect.width();
        let y = (f64::from(event.client_y()) - rect.top()) * projection.height / rect.height();
        Some(gcj02_to_wgs84(projection.unproject(x, y)))
    }
}
