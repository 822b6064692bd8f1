//! The one-tap language switch in the header: a plain form, so it works without JavaScript;
//! with JavaScript it switches in place, without a reload.

use leptos::prelude::*;

use super::icons::{Icon, IconSvg};
use crate::{
    domain::preferences::Lang,
    i18n::{translate, use_preferences},
    settings::{SetLanguage, use_saved_preferences},
};

/// A button naming the other language in that language ("English" / "中文").
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let prefs = use_preferences();
    let action = ServerAction::<SetLanguage>::new();
    use_saved_preferences(action.value());
    let other = move || match prefs.get().lang {
        Lang::ZhCn => Lang::En,
        Lang::En => Lang::ZhCn,
    };
    view! {
        <ActionForm action=action attr:class="language-switch">
            <input type="hidden" name="lang" value=move || other().tag()/>
            <button
                type="submit"
                class="tool-link"
                lang=move || other().tag()
                aria-label=move || translate(prefs.get().lang, "language-switch-label")
            >
                <IconSvg icon=Icon::Language/>
                <span>{move || translate(other(), "language-own-name")}</span>
            </button>
        </ActionForm>
    }
}
