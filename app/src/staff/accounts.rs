//! The admins' pages for staff accounts: the list with a form to add one, and one account's
//! page (name shown, roles, disable, a new temporary password, a new second factor).

use leptos::{prelude::*, server_fn::ServerFn as _};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    api::{
        Flash, StaffAccount, StaffAddUser, StaffDisableUser, StaffResetPassword, StaffResetSecondFactor,
        StaffUpdateUser, staff_flash, staff_users,
    },
    frame::{CsrfField, StaffFrame},
};
use crate::{
    domain::{
        preferences::Lang,
        staff::{Role, Roles},
    },
    i18n::{title, tr, translate, use_preferences},
};

/// A checkbox per role, ticked for those in `ticked`.
#[component]
fn RoleChoices(ticked: Roles) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    view! {
        <fieldset>
            <legend>{translate(lang, "staff-field-roles")}</legend>
            {Role::ALL
                .into_iter()
                .map(|role| {
                    view! {
                        <label class="choice">
                            <input type="checkbox" name=role.as_str() checked=ticked.contains(role)/>
                            <span>
                                {translate(lang, &format!("staff-role-{}", role.as_str()))}
                                {role.needs_second_factor().then(|| format!(" ({})", translate(lang, "staff-role-needs-code")))}
                            </span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

fn role_names(lang: Lang, roles: &Roles) -> String {
    roles
        .iter()
        .map(|role| translate(lang, &format!("staff-role-{}", role.as_str())))
        .collect::<Vec<_>>()
        .join("、")
}

/// The temporary password an admin just gave an account, shown once.
#[component]
fn TemporaryPasswordNotice() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let flash = Resource::new_blocking(|| (), |_| staff_flash());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match flash.await.ok().flatten() {
                    Some(Flash::TemporaryPassword { name, password }) => Some(view! {
                        <div class="notice notice--saved" role="status">
                            <p>{translate(lang, "staff-temporary-password")}" "<strong>{name}</strong>": "<code class="staff-secret">{password}</code></p>
                            <p>{translate(lang, "staff-temporary-password-hint")}</p>
                        </div>
                    }),
                    _ => None,
                }
            })}
        </Suspense>
    }
}

/// `/staff/users`: every account, and a form to add one.
#[component]
pub fn StaffUsersPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let users = Resource::new_blocking(|| (), |_| staff_users());
    let (name, display_name, ticked) = use_query_map().with_untracked(|query| {
        let ticked = Roles::new(Role::ALL.into_iter().filter(|role| query.get(role.as_str()).is_some()));
        (query.get("name").unwrap_or_default(), query.get("display_name").unwrap_or_default(), ticked)
    });
    view! {
        <Title text=title("staff-users-title")/>
        <StaffFrame>
            <section class="page" aria-labelledby="page-heading">
                <h1 id="page-heading">{tr("staff-users-heading")}</h1>
                <TemporaryPasswordNotice/>
                <Suspense>
                    {move || Suspend::new(async move {
                        let users = users.await.unwrap_or_default();
                        view! {
                            <table class="staff-table">
                                <thead><tr>
                                    <th scope="col">{translate(lang, "staff-field-name")}</th>
                                    <th scope="col">{translate(lang, "staff-field-display-name")}</th>
                                    <th scope="col">{translate(lang, "staff-field-roles")}</th>
                                    <th scope="col">{translate(lang, "staff-field-state")}</th>
                                </tr></thead>
                                <tbody>
                                    {users.into_iter().map(|user| account_row(lang, user)).collect_view()}
                                </tbody>
                            </table>
                        }
                    })}
                </Suspense>
                <h2 id="add-heading">{tr("staff-add-heading")}</h2>
                <p>{tr("staff-add-intro")}</p>
                <form action=StaffAddUser::url() method="post" class="staff-form" aria-labelledby="add-heading">
                    <CsrfField/>
                    <label for="new-name">{tr("staff-field-name")}</label>
                    <input id="new-name" name="name" type="text" required autocapitalize="none" spellcheck="false"
                        aria-describedby="new-name-hint" value=name/>
                    <p class="hint" id="new-name-hint">{tr("staff-field-name-hint")}</p>
                    <label for="new-display-name">{tr("staff-field-display-name")}</label>
                    <input id="new-display-name" name="display_name" type="text" required value=display_name/>
                    <RoleChoices ticked=ticked/>
                    <button type="submit" class="button button--primary">{tr("staff-add-submit")}</button>
                </form>
            </section>
        </StaffFrame>
    }
}

fn account_state(lang: Lang, user: &StaffAccount) -> String {
    let mut states = Vec::new();
    if user.disabled {
        states.push(translate(lang, "staff-state-disabled"));
    }
    if user.must_change_password {
        states.push(translate(lang, "staff-state-new-password"));
    }
    if user.roles.need_second_factor() && !user.has_second_factor {
        states.push(translate(lang, "staff-state-no-code"));
    }
    if states.is_empty() {
        states.push(translate(lang, "staff-state-active"));
    }
    states.join("; ")
}

fn account_row(lang: Lang, user: StaffAccount) -> impl IntoView {
    let state = account_state(lang, &user);
    view! {
        <tr>
            <td><a href=format!("/staff/users/{}", user.id)>{user.name}</a></td>
            <td>{user.display_name}</td>
            <td>{role_names(lang, &user.roles)}</td>
            <td>{state}</td>
        </tr>
    }
}

/// `/staff/users/{id}`: one account.
#[component]
pub fn StaffUserPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let id = use_params_map().with_untracked(|params| params.get("id")).and_then(|id| id.parse::<i64>().ok());
    let users = Resource::new_blocking(|| (), |_| staff_users());
    view! {
        <Title text=title("staff-user-title")/>
        <StaffFrame>
            <section class="page" aria-labelledby="page-heading">
                <TemporaryPasswordNotice/>
                <Suspense>
                    {move || Suspend::new(async move {
                        let user = users.await.unwrap_or_default().into_iter().find(|user| Some(user.id) == id);
                        match user {
                            Some(user) => account_detail(lang, user).into_any(),
                            None => view! {
                                <h1 id="page-heading">{translate(lang, "staff-user-missing")}</h1>
                                <p><a href="/staff/users">{translate(lang, "staff-nav-users")}</a></p>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffFrame>
    }
}

fn account_detail(lang: Lang, user: StaffAccount) -> impl IntoView {
    let state = account_state(lang, &user);
    let id = user.id.to_string();
    let codes = if user.has_second_factor {
        leptos::either::Either::Left(format!(
            "{} ({} {})",
            translate(lang, "staff-second-factor-on"),
            user.recovery_codes_left,
            translate(lang, "staff-recovery-codes-left")
        ))
    } else {
        leptos::either::Either::Right(translate(lang, "staff-second-factor-off"))
    };
    view! {
        <h1 id="page-heading">{user.display_name.clone()}" ("{user.name.clone()}")"</h1>
        <p>{translate(lang, "staff-field-state")}": "{state}</p>
        <p>{translate(lang, "staff-second-factor")}": "{codes}</p>
        <form action=StaffUpdateUser::url() method="post" class="staff-form">
            <CsrfField/>
            <input type="hidden" name="id" value=id.clone()/>
            <label for="display-name">{translate(lang, "staff-field-display-name")}</label>
            <input id="display-name" name="display_name" type="text" required value=user.display_name/>
            <RoleChoices ticked=user.roles/>
            <button type="submit" class="button button--primary">{translate(lang, "staff-update-submit")}</button>
        </form>
        <h2>{translate(lang, "staff-user-actions")}</h2>
        <div class="button-row">
            <form action=StaffDisableUser::url() method="post">
                <CsrfField/>
                <input type="hidden" name="id" value=id.clone()/>
                {(!user.disabled).then(|| view! { <input type="hidden" name="disabled" value="on"/> })}
                <button type="submit" class="button">
                    {translate(lang, if user.disabled { "staff-enable-submit" } else { "staff-disable-submit" })}
                </button>
            </form>
            <form action=StaffResetPassword::url() method="post">
                <CsrfField/>
                <input type="hidden" name="id" value=id.clone()/>
                <button type="submit" class="button">{translate(lang, "staff-reset-password-submit")}</button>
            </form>
            <form action=StaffResetSecondFactor::url() method="post">
                <CsrfField/>
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="button">{translate(lang, "staff-reset-code-submit")}</button>
            </form>
        </div>
    }
}
