//! The library's part of the public API (documented in docs/API.md and `api/openapi.json`
//! beside this file), for the city's other channels (its WeChat account, community screens):
//! the articles of a language with their front matter, and one article with its rendered HTML.

use axum::{
    Router,
    extract::{FromRef, Path, Query, State, rejection::QueryRejection},
    http::HeaderMap,
    response::Response,
    routing::{MethodRouter, get},
};
use safejdz_app::domain::{
    hazards::Hazard,
    learn::{ArticleSource, Audience, QuizQuestion},
    preferences::Lang,
};
use serde::{Deserialize, Serialize};

use super::{Learn, articles::Article};
use crate::platform::{
    api_error::ApiError,
    etag::cacheable,
    openapi::{Operation, routes_of},
};

/// Every public operation of the learn feature; its routes are built from this list alone.
pub const OPERATIONS: &[Operation] = &[
    Operation { method: "get", path: "/api/v1/articles", route: "/api/v1/articles" },
    Operation { method: "get", path: "/api/v1/articles/{slug}", route: "/api/v1/articles/{slug}" },
];

/// The learn feature's part of the OpenAPI description.
pub const OPENAPI_PART: &str = include_str!("api/openapi.json");

/// An article's front matter, as the API gives it.
#[derive(Debug, Serialize)]
pub struct ApiArticleSummary {
    pub slug: String,
    pub lang: &'static str,
    pub title: String,
    pub summary: String,
    pub hazards: Vec<Hazard>,
    pub audiences: Vec<Audience>,
    pub reading_minutes: u8,
    pub last_reviewed: String,
    pub phones: Vec<String>,
    pub sources: Vec<ArticleSource>,
    /// The article's page on this site (a path).
    pub page: String,
}

/// One article: its front matter, the rendered HTML of its body, and its quiz.
#[derive(Debug, Serialize)]
pub struct ApiArticle {
    #[serde(flatten)]
    pub summary: ApiArticleSummary,
    pub html: String,
    pub quiz: Vec<QuizQuestion>,
}

#[derive(Debug, Serialize)]
pub struct ApiArticleList {
    pub lang: &'static str,
    pub articles: Vec<ApiArticleSummary>,
}

/// The query: the language, and for the list a hazard and an audience to narrow it by.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleQuery {
    lang: Option<String>,
    hazard: Option<String>,
    audience: Option<String>,
}

/// Routes of the library's public API, on any state the feature's state comes from.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Learn: FromRef<S>,
{
    routes_of(OPERATIONS, handler)
}

fn handler<S>(route: &str) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
    Learn: FromRef<S>,
{
    match route {
        "/api/v1/articles" => get(list_articles),
        "/api/v1/articles/{slug}" => get(get_article),
        other => unreachable!("OPERATIONS lists the route {other}, which has no handler here"),
    }
}

fn language(text: Option<&str>) -> Result<Lang, ApiError> {
    match text {
        None => Ok(Lang::ZhCn),
        Some(tag) => Lang::from_tag(tag)
            .ok_or_else(|| ApiError::bad_request(format!("lang {tag:?} is not zh-CN or en"))),
    }
}

fn summary(article: &Article) -> ApiArticleSummary {
    ApiArticleSummary {
        slug: article.slug.clone(),
        lang: article.lang.tag(),
        title: article.meta.title.clone(),
        summary: article.meta.summary.clone(),
        hazards: article.meta.hazards.clone(),
        audiences: article.meta.audiences.clone(),
        reading_minutes: article.meta.reading_minutes,
        last_reviewed: article.meta.last_reviewed.clone(),
        phones: article.meta.phones.clone(),
        sources: article.meta.sources.clone(),
        page: format!("/learn/{}", article.slug),
    }
}

/// The body as JSON, cached by its ETag: the articles change only with a release.
fn json_answer<T: Serialize>(headers: &HeaderMap, value: &T) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value).map_err(|error| ApiError::from_encoding(&error))?;
    let mut response = cacheable(headers, body, "public, max-age=3600");
    response
        .headers_mut()
        .insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
    Ok(response)
}

/// `GET /api/v1/articles?lang=&hazard=&audience=`: the articles of a language (zh-CN unless
/// asked), by slug.
async fn list_articles(
    State(learn): State<Learn>,
    headers: HeaderMap,
    query: Result<Query<ArticleQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let lang = language(query.lang.as_deref())?;
    let hazard = match query.hazard.as_deref() {
        None => None,
        Some(key) => Some(
            Hazard::from_key(key)
                .ok_or_else(|| ApiError::bad_request(format!("hazard {key:?} is no hazard key")))?,
        ),
    };
    let audience = match query.audience.as_deref() {
        None => None,
        Some(key) => Some(Audience::from_key(key).ok_or_else(|| {
            ApiError::bad_request(format!("audience {key:?} is not children, adults, elderly or businesses"))
        })?),
    };
    let articles = learn
        .shelf
        .library
        .in_language(lang)
        .iter()
        .filter(|a| hazard.is_none_or(|h| a.meta.hazards.contains(&h)))
        .filter(|a| audience.is_none_or(|x| a.meta.audiences.contains(&x)))
        .map(summary)
        .collect();
    json_answer(&headers, &ApiArticleList { lang: lang.tag(), articles })
}

/// `GET /api/v1/articles/{slug}?lang=`: one article with its rendered HTML and quiz.
async fn get_article(
    State(learn): State<Learn>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    query: Result<Query<ArticleQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    if query.hazard.is_some() || query.audience.is_some() {
        return Err(ApiError::bad_request("one article takes only lang"));
    }
    let lang = language(query.lang.as_deref())?;
    let article = learn.shelf.library.get(&slug, lang).ok_or_else(|| ApiError::not_found("article"))?;
    json_answer(
        &headers,
        &ApiArticle {
            summary: summary(article),
            html: article.html.clone(),
            quiz: article.meta.quiz.clone(),
        },
    )
}
