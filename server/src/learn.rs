//! Learn: the library of safety knowledge (issue 14). `articles` reads and checks the article
//! files (their Markdown rendered by `markdown`), `search` indexes each language, `pages`
//! serves the app's learn pages and the warnings' reading links, `api` is `/api/v1/articles`.
//! [`Learn`] is the feature's state: the library with its indexes and the configured campaigns.

pub mod api;
pub mod articles;
pub mod markdown;
pub mod pages;
pub mod search;

use std::{
    collections::BTreeMap,
    sync::{Arc, LazyLock},
};

use safejdz_app::domain::{campaigns::Campaign, preferences::Lang};

use articles::Library;
use search::{Document, SearchIndex};

/// The library, with a search index for each language.
pub struct Shelf {
    pub library: Library,
    pub indexes: BTreeMap<Lang, SearchIndex>,
}

impl Shelf {
    pub fn new(library: Library) -> Shelf {
        let indexes = Lang::ALL
            .into_iter()
            .map(|lang| {
                let documents = library.in_language(lang).iter().map(|article| Document {
                    title: &article.meta.title,
                    summary: &article.meta.summary,
                    body: &article.text,
                });
                (lang, SearchIndex::new(documents))
            })
            .collect();
        Shelf { library, indexes }
    }
}

/// The shipped library with its indexes, read, checked and indexed once per process: the files
/// are inside the binary, so every `AppState` (one per test, too) shares the same shelf, and
/// `serve`'s start-up check is the read the state then uses.
pub fn shipped_shelf() -> Result<Arc<Shelf>, Vec<String>> {
    static SHIPPED: LazyLock<Result<Arc<Shelf>, Vec<String>>> =
        LazyLock::new(|| articles::shipped().map(|library| Arc::new(Shelf::new(library))));
    SHIPPED.clone()
}

/// The learn feature's state.
#[derive(Clone)]
pub struct Learn {
    pub shelf: Arc<Shelf>,
    /// The campaigns of the configuration (the built-in national days come on their own).
    pub campaigns: Arc<Vec<Campaign>>,
}

impl Learn {
    /// The shipped articles. `serve` refuses to start when a file is bad (and a test reads
    /// them all), so a bad file here is only a command's concern: it gets an empty library
    /// and an error in the log.
    pub fn shipped(campaigns: Vec<Campaign>) -> Learn {
        let shelf = shipped_shelf().unwrap_or_else(|problems| {
            tracing::error!(problems = %problems.join("; "), "learn articles refused");
            Arc::new(Shelf::new(Library::default()))
        });
        Learn { shelf, campaigns: Arc::new(campaigns) }
    }
}
