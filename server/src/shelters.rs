//! Shelters: where the register of emergency shelters, their status kept by volunteers will live (its own store, the app's backend port and
//! `routes()`), as `warnings` and `notify` do. Nothing here yet: the feature's issue builds it.
