//! Learn: where the library of safety knowledge and its quizzes will live (its own store, the app's backend port and
//! `routes()`), as `warnings` and `notify` do. Nothing here yet: the feature's issue builds it.
