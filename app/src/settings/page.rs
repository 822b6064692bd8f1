//! The settings page: a plain form that works with and without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{SavePreferences, use_saved_preferences};
use crate::{
    domain::preferences::{Contrast, Lang, TextSize},
    i18n::{title, tr, translate, use_preferences},
};

/// `/settings`: language, elderly mode (larger text), high contrast, how a new warning on an
/// open page announces itself, notifications, and where all of it is kept.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let prefs = use_preferences();
    let save = ServerAction::<SavePreferences>::new();
    use_saved_preferences(save.value());
    // The server renders the checked state; in the browser the property follows later changes
    // (e.g. the header language switch) that an attribute would not.
    let initial = prefs.get_untracked();
    let is_lang = move |lang: Lang| move || prefs.get().lang == lang;
    let elderly = move || prefs.get().text_size == TextSize::Large;
    let high_contrast = move || prefs.get().contrast == Contrast::High;
    let status = move || match save.value().get() {
        Some(Ok(_)) => translate(prefs.get().lang, "settings-saved"),
        Some(Err(error)) => translate(prefs.get().lang, &error.message_id),
        None => String::new(),
    };

    view! {
        <Title text=title("settings-title")/>
        <section class="page" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("settings-heading")}</h1>
            <ActionForm action=save attr:class="settings-form">
                <fieldset>
                    <legend>{tr("settings-language")}</legend>
                    <label class="choice">
                        <input type="radio" name="lang" value="zh-CN"
                            checked=initial.lang == Lang::ZhCn prop:checked=is_lang(Lang::ZhCn)/>
                        <span lang="zh-CN">{tr("language-name-zh-cn")}</span>
                    </label>
                    <label class="choice">
                        <input type="radio" name="lang" value="en"
                            checked=initial.lang == Lang::En prop:checked=is_lang(Lang::En)/>
                        <span lang="en">{tr("language-name-en")}</span>
                    </label>
                </fieldset>
                <fieldset>
                    <legend>{tr("settings-display")}</legend>
                    <label class="choice">
                        <input type="checkbox" name="elderly" value="on"
                            checked=initial.text_size == TextSize::Large prop:checked=elderly
                            aria-describedby="elderly-hint"/>
                        <span>{tr("settings-elderly")}</span>
                    </label>
                    <p class="hint" id="elderly-hint">{tr("settings-elderly-hint")}</p>
                    <label class="choice">
                        <input type="checkbox" name="high_contrast" value="on"
                            checked=initial.contrast == Contrast::High prop:checked=high_contrast
                            aria-describedby="contrast-hint"/>
                        <span>{tr("settings-contrast")}</span>
                    </label>
                    <p class="hint" id="contrast-hint">{tr("settings-contrast-hint")}</p>
                </fieldset>
                <fieldset>
                    <legend>{tr("settings-alert-signals")}</legend>
                    <p class="hint" id="signals-hint">{tr("settings-alert-signals-hint")}</p>
                    <label class="choice">
                        <input type="checkbox" name="alert_sound" value="on"
                            checked=initial.alert_sound prop:checked=move || prefs.get().alert_sound
                            aria-describedby="signals-hint"/>
                        <span>{tr("settings-alert-sound")}</span>
                    </label>
                    <label class="choice">
                        <input type="checkbox" name="alert_vibrate" value="on"
                            checked=initial.alert_vibrate prop:checked=move || prefs.get().alert_vibrate
                            aria-describedby="signals-hint"/>
                        <span>{tr("settings-alert-vibrate")}</span>
                    </label>
                </fieldset>
                <button type="submit" class="button button--primary">{tr("settings-save")}</button>
                <p class="form-status" role="status">{status}</p>
            </ActionForm>
            <crate::alerts::NotificationsPanel/>
            <h2>{tr("settings-privacy-heading")}</h2>
            <p>{tr("settings-privacy-body")}</p>
            <p>{tr("settings-privacy-places")}</p>
            <p>{tr("settings-privacy-notifications")}</p>
            <p><a href="/#mine-heading">{tr("settings-places-link")}</a></p>
        </section>
    }
}
