//! The integration suite: one binary, a module per feature, fixture sites under `fixtures/`.

mod suite;
