//! A step's picture: the drawing, with the words that stand for it, sized in the markup so
//! the step does not jump when it arrives on a slow line.

use leptos::prelude::*;

use crate::domain::drills::Illustration;

/// The drawings are made on a 320 × 200 canvas (public/illustrations/).
const WIDTH: &str = "320";
const HEIGHT: &str = "200";

/// Nothing for a step without a picture.
#[component]
pub fn StepPicture(picture: Option<Illustration>, english: bool) -> impl IntoView {
    picture.map(|picture| {
        let alt = picture.alt.in_language(english).to_owned();
        view! {
            <figure class="drill-picture">
                <img src=picture.href() alt=alt width=WIDTH height=HEIGHT decoding="async"/>
            </figure>
        }
    })
}
