//! Received JSON read into a `serde_json::Value`, refusing an object that
//! has a key twice. `serde_json` keeps the last one, so
//! `{"error":"FIRST","error":"SECOND"}` would read as `SECOND` here and as
//! `FIRST` in a parser that keeps the first: a body two parsers read two
//! ways is refused instead.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// `bytes` as a value; a key twice in one object, at any depth, is a data
/// error (`serde_json::Error::is_data`). Depth is bounded by `serde_json`'s
/// recursion limit.
pub(crate) fn from_slice(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    serde_json::from_slice::<Strict>(bytes).map(|strict| strict.0)
}

struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut values = Vec::new();
        while let Some(Strict(value)) = seq.next_element()? {
            values.push(value);
        }
        Ok(Value::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "the key `{}` twice in one object",
                    key.escape_debug()
                )));
            }
            let Strict(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::from_slice;
    use serde_json::json;

    #[test]
    fn reads_what_serde_json_reads() {
        let text = br#"{"a":[1,-2,3.5,"x",null,true,{"b":{}}],"c":"\u00e9"}"#;
        assert_eq!(
            from_slice(text).unwrap(),
            serde_json::from_slice::<serde_json::Value>(text).unwrap()
        );
        assert_eq!(from_slice(b"7").unwrap(), json!(7));
    }

    #[test]
    fn refuses_a_key_twice_at_any_depth() {
        for text in [
            &br#"{"error":"FIRST","error":"SECOND"}"#[..],
            br#"{"data":{"a":1,"a":2}}"#,
            br#"[{"k":1,"k":1}]"#,
        ] {
            let error = from_slice(text).unwrap_err();
            assert!(error.is_data(), "{error}");
        }
        assert_eq!(
            from_slice(br#"{"error":"FIRST","error":"SECOND"}"#)
                .unwrap_err()
                .to_string(),
            "the key `error` twice in one object at line 1 column 24"
        );
        // The same key in two objects is fine.
        assert!(from_slice(br#"[{"k":1},{"k":2}]"#).is_ok());
    }

    #[test]
    fn syntax_errors_stay_syntax_errors() {
        let error = from_slice(br#"{"a":"#).unwrap_err();
        assert!(error.is_eof(), "{error}");
    }
}
