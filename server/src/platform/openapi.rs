//! The public API's description, assembled: the platform's part (`openapi.json` beside this
//! file: the document's head, `/healthz`, the error envelope) and each feature's part (its
//! paths and components), merged into one OpenAPI 3.1 document. A path or component named by
//! two parts is a mistake caught at start-up and by `server/tests/integration/openapi.rs`.

use serde_json::{Map, Value};

/// One public operation: its method, its path as the description writes it, and the route
/// that serves it (`{id}.cap` is answered by the `{id}` route, which reads the suffix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    pub route: &'static str,
}

/// A feature's routes, built from its list of operations alone (so the description and the
/// router cannot drift apart): `handler` gives each route's method router. Each route once,
/// though several operations may share it (`{id}` and `{id}.cap`).
pub fn routes_of<S>(
    operations: &[Operation],
    handler: impl Fn(&str) -> axum::routing::MethodRouter<S>,
) -> axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let mut routed = std::collections::BTreeSet::new();
    operations
        .iter()
        .filter(|operation| routed.insert(operation.route))
        .fold(axum::Router::new(), |router, operation| {
            router.route(operation.route, handler(operation.route))
        })
}

/// The platform's part: the document's head, `/healthz` and the shared components.
pub const PLATFORM_PART: &str = include_str!("openapi.json");

/// Why the parts do not make one document.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AssemblyError {
    #[error("a part is not a JSON object: {0}")]
    NotJson(String),
    #[error("{0} is described twice")]
    Twice(String),
}

/// `base` with every part's `paths` and `components` merged in.
pub fn assemble(base: &str, parts: &[&str]) -> Result<Value, AssemblyError> {
    let parse = |text: &str| -> Result<Map<String, Value>, AssemblyError> {
        match serde_json::from_str(text) {
            Ok(Value::Object(object)) => Ok(object),
            Ok(_) => Err(AssemblyError::NotJson("not an object".into())),
            Err(error) => Err(AssemblyError::NotJson(error.to_string())),
        }
    };
    let mut document = parse(base)?;
    for part in parts {
        let part = parse(part)?;
        if let Some(Value::Object(paths)) = part.get("paths") {
            merge(&mut document, "paths", paths, "path")?;
        }
        if let Some(Value::Object(components)) = part.get("components") {
            let target = document
                .entry("components")
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
                .ok_or_else(|| AssemblyError::NotJson("components is not an object".into()))?;
            for (section, entries) in components {
                let Value::Object(entries) = entries else {
                    return Err(AssemblyError::NotJson(format!("components.{section} is not an object")));
                };
                merge(target, section, entries, &format!("components.{section}"))?;
            }
        }
    }
    Ok(Value::Object(document))
}

fn merge(
    into: &mut Map<String, Value>,
    key: &str,
    entries: &Map<String, Value>,
    what: &str,
) -> Result<(), AssemblyError> {
    let target = into
        .entry(key)
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .ok_or_else(|| AssemblyError::NotJson(format!("{key} is not an object")))?;
    for (name, value) in entries {
        if target.insert(name.clone(), value.clone()).is_some() {
            return Err(AssemblyError::Twice(format!("{what} {name}")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_merge_into_the_base_and_a_repeat_is_refused() {
        let base = r#"{"openapi":"3.1.0","paths":{"/healthz":{}},"components":{"schemas":{"Error":{}}}}"#;
        let a = r#"{"paths":{"/a":{"get":{}}},"components":{"schemas":{"A":{}},"parameters":{"Id":{}}}}"#;
        let b = r#"{"paths":{"/b":{"get":{}}}}"#;
        let document = assemble(base, &[a, b]).expect("merges");
        let paths: Vec<&String> = document["paths"].as_object().expect("paths").keys().collect();
        assert_eq!(paths, ["/a", "/b", "/healthz"]);
        assert!(document["components"]["schemas"].get("A").is_some());
        assert!(document["components"]["parameters"].get("Id").is_some());
        assert_eq!(assemble(base, &[a, a]), Err(AssemblyError::Twice("path /a".into())));
        let again = r#"{"components":{"schemas":{"Error":{}}}}"#;
        assert_eq!(assemble(base, &[again]), Err(AssemblyError::Twice("components.schemas Error".into())));
        assert!(matches!(assemble(base, &["[]"]), Err(AssemblyError::NotJson(_))));
    }
}
