//! [`KeyMap`]: a scenario's per-key settings (`outcomes.key_error_rates`, `outcomes.results`).

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

/// Values by key, kept sorted by key: what a `BTreeMap<String, V>` gave (the same order,
/// lookups, equality and JSON, a later duplicate key winning), in a plain `Vec` whose wasm is
/// a fraction of a B-tree instance's. Meant for the few keys a scenario names.
#[derive(Clone, PartialEq)]
pub struct KeyMap<V>(Vec<(String, V)>);

impl<V> Default for KeyMap<V> {
    fn default() -> Self {
        KeyMap(Vec::new())
    }
}

impl<V> KeyMap<V> {
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        String: Borrow<Q>,
    {
        self.0.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value of `key`, if it has one (a `&str`, as `BTreeMap::get` takes it).
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        String: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    /// Sets the value of `key` (replacing any).
    pub fn insert(&mut self, key: String, value: V) {
        match self.find(key.as_str()) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    /// Whether no key has a value.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<'a, V> IntoIterator for &'a KeyMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, (String, V)>, fn(&(String, V)) -> (&String, &V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<V> FromIterator<(String, V)> for KeyMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(entries: I) -> Self {
        let mut map = KeyMap::default();
        for (k, v) in entries {
            map.insert(k, v);
        }
        map
    }
}

/// Like a map's: `{"a": 0.5}`.
impl<V: fmt::Debug> fmt::Debug for KeyMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V: Serialize> Serialize for KeyMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for KeyMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = KeyMap<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<KeyMap<V>, A::Error> {
                let mut map = KeyMap::default();
                while let Some((k, v)) = access.next_entry()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }

        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn reads_and_writes_json_like_a_btree_map() {
        let json = r#"{"b":2,"a":1,"c":3,"a":4}"#;
        let ours: KeyMap<u8> = serde_json::from_str(json).unwrap();
        let theirs: BTreeMap<String, u8> = serde_json::from_str(json).unwrap();
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&theirs).unwrap()
        );
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        assert_eq!(ours.get("a"), Some(&4));
        assert_eq!(ours.get("d"), None);
        let bad = r#"[1]"#;
        assert_eq!(
            serde_json::from_str::<KeyMap<u8>>(bad)
                .unwrap_err()
                .to_string(),
            serde_json::from_str::<BTreeMap<String, u8>>(bad)
                .unwrap_err()
                .to_string()
        );
    }
}
