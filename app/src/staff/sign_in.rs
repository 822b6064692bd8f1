//! Signing in, one plain form per step: name and password; the one-time code of an
//! authenticator app (or a recovery code); setting that app up the first time, with the
//! recovery codes shown once; and choosing a new password.

use leptos::{prelude::*, server_fn::ServerFn as _};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    api::{
        Flash, StaffEnrol, StaffLogin, StaffSecondFactor, StaffSetPassword, caller, staff_enrolment,
        staff_flash,
    },
    frame::CsrfField,
};
use crate::{
    domain::staff::{MIN_PASSWORD_CHARS, Stage},
    i18n::{title, tr, translate, translate_with, use_preferences},
};

/// `/staff/login`: name and password. A refusal never says which of the two was wrong.
#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let name = use_query_map().with_untracked(|query| query.get("name")).unwrap_or_default();
    view! {
        <Title text=title("staff-login-title")/>
        <section class="page staff-sign-in" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("staff-login-heading")}</h1>
            <p>{tr("staff-login-intro")}</p>
            <form action=StaffLogin::url() method="post" class="staff-form">
                <CsrfField/>
                <label for="staff-name">{tr("staff-field-name")}</label>
                <input id="staff-name" name="name" type="text" autocomplete="username" autocapitalize="none"
                    spellcheck="false" required value=name/>
                <label for="staff-password">{tr("staff-field-password")}</label>
                <input id="staff-password" name="password" type="password" autocomplete="current-password" required/>
                <button type="submit" class="button button--primary">{tr("staff-login-submit")}</button>
            </form>
        </section>
    }
}

/// `/staff/login/code`: the six digits of the authenticator app, or one recovery code.
#[component]
pub fn StaffCodePage() -> impl IntoView {
    view! {
        <Title text=title("staff-code-title")/>
        <section class="page staff-sign-in" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("staff-code-heading")}</h1>
            <p id="code-hint">{tr("staff-code-intro")}</p>
            <form action=StaffSecondFactor::url() method="post" class="staff-form">
                <CsrfField/>
                <label for="staff-code">{tr("staff-field-code")}</label>
                <input id="staff-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                    autocapitalize="none" spellcheck="false" required aria-describedby="code-hint"/>
                <button type="submit" class="button button--primary">{tr("staff-code-submit")}</button>
            </form>
            <p class="hint">{tr("staff-code-recovery-hint")}</p>
        </section>
    }
}

/// `/staff/enrol`: set up an authenticator app from a QR code (or the secret typed by hand),
/// then prove it with its first code.
#[component]
pub fn StaffEnrolPage() -> impl IntoView {
    let enrolment = Resource::new_blocking(|| (), |_| staff_enrolment());
    view! {
        <Title text=title("staff-enrol-title")/>
        <section class="page staff-sign-in" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("staff-enrol-heading")}</h1>
            <p>{tr("staff-enrol-intro")}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    enrolment.await.ok().map(|enrolment| {
                        let grouped = enrolment
                            .secret
                            .as_bytes()
                            .chunks(4)
                            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
                            .collect::<Vec<_>>()
                            .join(" ");
                        view! {
                            <figure class="staff-qr">
                                <div class="staff-qr__code" inner_html=enrolment.qr_svg></div>
                                <figcaption>{tr("staff-enrol-qr-caption")}</figcaption>
                            </figure>
                            <p>{tr("staff-enrol-secret")}" "<code class="staff-secret">{grouped}</code></p>
                        }
                    })
                })}
            </Suspense>
            <form action=StaffEnrol::url() method="post" class="staff-form">
                <CsrfField/>
                <label for="staff-code">{tr("staff-enrol-field-code")}</label>
                <input id="staff-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                    required/>
                <button type="submit" class="button button--primary">{tr("staff-enrol-submit")}</button>
            </form>
        </section>
    }
}

/// `/staff/recovery-codes`: the recovery codes of a second factor just set up, shown once.
#[component]
pub fn StaffRecoveryCodesPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let flash = Resource::new_blocking(|| (), |_| staff_flash());
    let next = caller().map(|caller| caller.stage.page()).unwrap_or("/staff");
    view! {
        <Title text=title("staff-recovery-title")/>
        <section class="page staff-sign-in" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("staff-recovery-heading")}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match flash.await.ok().flatten() {
                        Some(Flash::RecoveryCodes(codes)) => view! {
                            <p>{translate(lang, "staff-recovery-intro")}</p>
                            <ol class="staff-recovery-codes">
                                {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
                            </ol>
                        }.into_any(),
                        _ => view! { <p>{translate(lang, "staff-recovery-gone")}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a class="button button--primary" href=next>{tr("staff-recovery-continue")}</a></p>
        </section>
    }
}

/// `/staff/password`: a new password, typed twice; the current one too, unless the account
/// must change it at this sign-in (a new or reset account).
#[component]
pub fn StaffPasswordPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let forced = caller().is_some_and(|caller| caller.stage == Stage::NewPassword);
    let rule = translate_with(lang, "staff-password-rule", &[("chars", (MIN_PASSWORD_CHARS as i64).into())]);
    view! {
        <Title text=title("staff-password-title")/>
        <section class="page staff-sign-in" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("staff-password-heading")}</h1>
            {forced.then(|| view! { <p>{tr("staff-password-forced")}</p> })}
            <p id="password-rule">{rule}</p>
            <form action=StaffSetPassword::url() method="post" class="staff-form">
                <CsrfField/>
                {(!forced).then(|| view! {
                    <label for="staff-current">{tr("staff-field-current-password")}</label>
                    <input id="staff-current" name="current" type="password" autocomplete="current-password" required/>
                })}
                <label for="staff-new">{tr("staff-field-new-password")}</label>
                <input id="staff-new" name="new" type="password" autocomplete="new-password" required
                    minlength=MIN_PASSWORD_CHARS aria-describedby="password-rule"/>
                <label for="staff-repeated">{tr("staff-field-repeat-password")}</label>
                <input id="staff-repeated" name="repeated" type="password" autocomplete="new-password" required/>
                <button type="submit" class="button button--primary">{tr("staff-password-submit")}</button>
            </form>
        </section>
    }
}
