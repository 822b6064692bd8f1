//! What every signed-in staff page shares: the console's own heading and navigation (by role),
//! the form field with the session's CSRF token, and the home page.

use leptos::{prelude::*, server_fn::ServerFn as _};
use leptos_meta::Title;

use super::api::{CSRF_FIELD, StaffLogout, caller};
use crate::{
    domain::staff::Role,
    i18n::{title, tr, translate, use_preferences},
};

/// The hidden field every state-changing staff form carries: the staff guard refuses a post
/// without this session's token (a page on another site cannot read it).
#[component]
pub fn CsrfField() -> impl IntoView {
    let token = caller().map(|caller| caller.csrf).unwrap_or_default();
    view! { <input type="hidden" name=CSRF_FIELD value=token/> }
}

/// The console's frame: a band that says this is the staff console, the pages this person's
/// roles open, and signing out.
#[component]
pub fn StaffFrame(children: Children) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let person = caller().and_then(|caller| caller.person);
    let roles = person.as_ref().map(|p| p.roles.clone()).unwrap_or_default();
    let links = [
        (&[Role::Publisher, Role::Approver][..], "/staff/warnings", "staff-nav-warnings"),
        (&[Role::Admin, Role::Publisher, Role::Approver][..], "/staff/sources", "staff-nav-sources"),
        (&[Role::Volunteer, Role::Admin][..], "/staff/shelters", "staff-nav-shelters"),
        (&[Role::Teacher, Role::Admin][..], "/staff/drills", "staff-nav-drills"),
        (&[Role::Admin][..], "/staff/users", "staff-nav-users"),
        (&[Role::Admin][..], "/staff/audit", "staff-nav-audit"),
    ]
    .into_iter()
    .filter(|(needed, _, _)| needed.iter().any(|role| roles.contains(*role)))
    .map(|(_, href, key)| view! { <li><a href=href>{translate(lang, key)}</a></li> })
    .collect_view();
    view! {
        <div class="staff-console">
            <nav class="staff-nav" aria-label=translate(lang, "staff-nav-label")>
                <p class="staff-nav__title"><a href="/staff">{translate(lang, "staff-console")}</a></p>
                <ul>
                    {links}
                    <li><a href="/staff/password">{translate(lang, "staff-nav-password")}</a></li>
                    <li>
                        <form action=StaffLogout::url() method="post">
                            <CsrfField/>
                            <button type="submit" class="button button--quiet">{translate(lang, "staff-sign-out")}</button>
                        </form>
                    </li>
                </ul>
                {person.map(|p| view! { <p class="staff-nav__who">{translate(lang, "staff-signed-in-as")}" "<strong>{p.display_name}</strong>" ("{p.name}")"</p> })}
            </nav>
            {children()}
        </div>
    }
}

/// `/staff`: who is signed in, with which roles, and what each role opens.
#[component]
pub fn StaffHomePage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let roles = caller().and_then(|caller| caller.person).map(|p| p.roles).unwrap_or_default();
    let role_items = roles
        .iter()
        .map(|role| {
            view! {
                <li>
                    <strong>{translate(lang, &format!("staff-role-{}", role.as_str()))}</strong>
                    ": "{translate(lang, &format!("staff-role-{}-hint", role.as_str()))}
                </li>
            }
        })
        .collect_view();
    view! {
        <Title text=title("staff-home-title")/>
        <StaffFrame>
            <section class="page" aria-labelledby="page-heading">
                <h1 id="page-heading">{tr("staff-home-heading")}</h1>
                <h2>{tr("staff-home-roles")}</h2>
                <ul class="staff-roles">{role_items}</ul>
            </section>
        </StaffFrame>
    }
}
