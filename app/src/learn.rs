//! Learn: science-education articles and quizzes for every hazard of the city.

mod learn_page;

pub use learn_page::LearnPage;
