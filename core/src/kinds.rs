//! A small macro for enumerations that cross language boundaries by name
//! (snake_case in JSON and Python, the same names everywhere).

/// Declares a fieldless enum with `as_str`, `FromStr`, `Display`, `ALL` and
/// serde by snake_case name; an unknown name is [`crate::Error::UnknownKind`].
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Accepted names, comma-separated (for error messages).
            pub const NAMES: &'static str = concat!($($text, ", "),+);

            /// The snake_case name used in JSON and in the bindings.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::Error;
            fn from_str(s: &str) -> $crate::Result<Self> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::Error::UnknownKind {
                        what: $what,
                        value: s.to_owned(),
                        expected: $name::NAMES.trim_end_matches(", "),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use named_enum;
