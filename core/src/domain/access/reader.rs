//! The read side of the authorised handle: a [`Reader`] bound to a
//! principal answers the registry's queries restricted to what it may read.

use crate::error::Result;
use crate::Mutualis;

/// A registry handle for reading, bound to a principal (or unchecked).
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    m: &'a Mutualis,
    principal: Option<usize>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(m: &'a Mutualis, principal: Option<usize>) -> Reader<'a> {
        Reader { m, principal }
    }

    /// The principal's code (`None`: the unchecked reader).
    #[must_use]
    pub fn principal(&self) -> Option<&'a str> {
        let m = self.m;
        self.principal
            .and_then(|p| m.policies.principals.get(p))
            .map(|p| p.code.as_str())
    }
}

impl Mutualis {
    /// A reader acting as `principal`: its queries answer only what the
    /// principal may read (see [`Reader`]).
    ///
    /// Errors: [`crate::Error::UnknownPrincipal`].
    pub fn as_principal(&self, principal: &str) -> Result<Reader<'_>> {
        Ok(Reader::new(self, Some(self.principal_index(principal)?)))
    }

    /// The unchecked reader: every query answers everything (like
    /// [`Mutualis`] itself), so bindings can call one type.
    #[must_use]
    pub fn unchecked_reader(&self) -> Reader<'_> {
        Reader::new(self, None)
    }
}
