//! A value parser for arguments that accept any text while shell completion offers known names
//! (rule ids, codes, schema kinds): custom rules and typos still reach the command, which answers
//! them with "did you mean".

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};

/// Any text; `names` lists what completion offers, each with an optional help.
#[derive(Clone, Copy, Debug)]
pub(super) struct Offered(pub fn() -> Vec<(&'static str, Option<&'static str>)>);

impl TypedValueParser for Offered {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.0)().into_iter().map(|(name, help)| {
            let value = PossibleValue::new(name);
            match help {
                Some(help) => value.help(help),
                None => value,
            }
        })))
    }
}

/// What completion offers for `--profile`: the built-in profiles; those of `--policy` directories
/// are accepted too.
pub(super) fn profile_names() -> Vec<(&'static str, Option<&'static str>)> {
    crate::policy::profile::builtin_names().into_iter().map(|name| (name, None)).collect()
}
