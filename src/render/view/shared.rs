//! A value that appears in several places of the variables: a cookie in `cookies.list` and in its
//! category, a purpose in `purposes` and under its legal basis, a recipient in `recipients` and in
//! `processors` or `transfers`. It is built once, and becomes a Tera value once: Tera's values are
//! reference-counted, so a thousand cookies are not converted again for every place they appear.

use std::cell::Cell;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use serde::{Serialize, Serializer};

/// `T`, shared by the places that list it.
pub struct Shared<T>(Arc<Inner<T>>);

struct Inner<T> {
    value: T,
    /// `value` as a Tera value, made the first time the variables are serialized into Tera.
    tera: OnceLock<tera::Value>,
}

thread_local! {
    /// True while [`into_tera`] serializes on this thread: a [`Shared`] then gives its Tera value,
    /// which Tera's serializer takes as it is, instead of serializing its fields again.
    static INTO_TERA: Cell<bool> = const { Cell::new(false) };
}

/// `value`'s fields as a Tera context, each [`Shared`] in it converted once however often it
/// appears.
pub(super) fn into_tera<T: Serialize + ?Sized>(value: &T) -> tera::TeraResult<tera::Context> {
    let before = INTO_TERA.replace(true);
    let converted = tera::Context::from_serialize(value);
    INTO_TERA.set(before);
    converted
}

impl<T> Shared<T> {
    pub(super) fn new(value: T) -> Self {
        Shared(Arc::new(Inner {
            value,
            tera: OnceLock::new(),
        }))
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0.value
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.value.fmt(f)
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    /// As `T`; into Tera, as the Tera value made once.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !INTO_TERA.get() {
            return self.0.value.serialize(serializer);
        }
        let value = match self.0.tera.get() {
            Some(value) => value,
            None => {
                let value = tera::Value::try_from_serializable(&self.0.value)
                    .map_err(serde::ser::Error::custom)?;
                self.0.tera.get_or_init(|| value)
            }
        };
        value.serialize(serializer)
    }
}
