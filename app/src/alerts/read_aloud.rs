//! "Read aloud", as an island: reads the warning with the browser's speech synthesis. Without
//! JavaScript it takes no space (`needs-js`); a browser that cannot speak hides it once the
//! island wakes.

use leptos::prelude::*;

/// The button; `text` is what it says, in `lang`; `label` comes translated.
// An island in the server build and in the `islands-warnings` and `islands-learn` bundles (the
// articles read aloud too); elsewhere a plain component that nothing in the browser calls, so it
// leaves no code there.
#[cfg_attr(any(feature = "ssr", feature = "islands-warnings", feature = "islands-learn"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "islands-warnings", feature = "islands-learn")), component)]
pub fn ReadAloud(text: String, lang: String, label: String) -> impl IntoView {
    let available = RwSignal::new(true);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        available.set(web_sys::window().and_then(|w| w.speech_synthesis().ok()).is_some());
    });
    let speak = move |_| {
        #[cfg(feature = "hydrate")]
        if let (Some(synthesis), Ok(utterance)) = (
            web_sys::window().and_then(|w| w.speech_synthesis().ok()),
            web_sys::SpeechSynthesisUtterance::new_with_text(&text),
        ) {
            utterance.set_lang(&lang);
            synthesis.cancel();
            synthesis.speak(&utterance);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&text, &lang);
    };
    view! {
        <button type="button" class="button needs-js" hidden=move || !available.get() on:click=speak>
            {label}
        </button>
    }
}
