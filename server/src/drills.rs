//! Drills: virtual safety drills (issue 13). `scenarios` reads and checks the scenario files;
//! the pages, live class sessions and their store come next.

pub mod scenarios;
