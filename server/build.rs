//! Lists the article files of `data/learn/<language>/*.md` for the binary to carry
//! (`learn::articles::FILES`), so adding an article needs no code: the list is made anew
//! whenever the directory changes.

use std::{env, fs, path::Path};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/learn");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for language in ["zh-CN", "en"] {
        let directory = root.join(language);
        println!("cargo:rerun-if-changed={}", directory.display());
        let Ok(entries) = fs::read_dir(&directory) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") {
                println!("cargo:rerun-if-changed={}", entry.path().display());
                files.push((format!("{language}/{name}"), entry.path()));
            }
        }
    }
    files.sort();
    let mut code = String::from(
        "/// Every article file, by `<language>/<slug>.md`, with its text.\npub const FILES: &[(&str, &str)] = &[\n",
    );
    for (name, path) in files {
        code.push_str(&format!("    ({name:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("learn_files.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
