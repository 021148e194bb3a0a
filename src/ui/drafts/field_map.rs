//! A text per form field, kept sorted by field: the lookups and the equality of a
//! `BTreeMap<FieldId, String>`, without the several KB of wasm a B-tree instance costs.

use std::fmt;

use super::fields::FieldId;

/// A text per field (the forms' values, or the refusals shown under them).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FieldMap(Vec<(FieldId, String)>);

impl FieldMap {
    /// An empty map.
    pub fn new() -> FieldMap {
        FieldMap::default()
    }

    /// The text of `f`, if it has one.
    pub fn get(&self, f: &FieldId) -> Option<&String> {
        self.find(f).ok().map(|i| &self.0[i].1)
    }

    /// Whether `f` has a text.
    pub fn contains_key(&self, f: &FieldId) -> bool {
        self.find(f).is_ok()
    }

    /// Sets the text of `f`.
    pub fn insert(&mut self, f: FieldId, text: String) {
        match self.find(&f) {
            Ok(i) => self.0[i].1 = text,
            Err(i) => self.0.insert(i, (f, text)),
        }
    }

    /// Removes the text of `f`, if it has one.
    pub fn remove(&mut self, f: &FieldId) {
        if let Ok(i) = self.find(f) {
            self.0.remove(i);
        }
    }

    fn find(&self, f: &FieldId) -> Result<usize, usize> {
        self.0.binary_search_by_key(f, |(k, _)| *k)
    }
}

/// Like a map's: `{Qps: "…"}`.
impl fmt::Debug for FieldMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_sorted_map() {
        let mut m = FieldMap::new();
        m.insert(FieldId::Qps, "10".into());
        m.insert(FieldId::Base, "5ms".into());
        m.insert(FieldId::Qps, "20".into());
        assert_eq!(m.get(&FieldId::Qps).map(String::as_str), Some("20"));
        assert!(m.contains_key(&FieldId::Base));
        m.remove(&FieldId::Base);
        assert!(!m.contains_key(&FieldId::Base));
        assert_eq!(format!("{m:?}"), "{Qps: \"20\"}");
    }
}
