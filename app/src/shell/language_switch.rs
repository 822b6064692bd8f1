//! The one-tap language switch in the header: a plain form post, so it works without
//! JavaScript; the server sets the cookie and sends the resident back to the same page.

use leptos::{prelude::*, server_fn::ServerFn as _};

use super::icons::{Icon, IconSvg};
use crate::{
    domain::preferences::{Lang, Preferences},
    error::AppError,
    i18n::{translate, use_preferences},
};

/// Changes the language only, keeping the other preferences.
#[server]
pub async fn set_language(lang: String) -> Result<Preferences, AppError> {
    let lang = Lang::from_tag(&lang).ok_or_else(|| AppError::new("error-unknown-language"))?;
    let prefs = Preferences { lang, ..super::preferences::request_preferences() };
    super::preferences::remember_preferences(prefs);
    Ok(prefs)
}

/// A button naming the other language in that language ("English" / "中文").
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let other = match lang {
        Lang::ZhCn => Lang::En,
        Lang::En => Lang::ZhCn,
    };
    view! {
        <form action=SetLanguage::url() method="post" class="language-switch">
            <input type="hidden" name="lang" value=other.tag()/>
            <button
                type="submit"
                class="tool-link"
                lang=other.tag()
                aria-label=translate(lang, "language-switch-label")
            >
                <IconSvg icon=Icon::Language/>
                <span>{translate(other, "language-own-name")}</span>
            </button>
        </form>
    }
}
