//! Message templates: text with `{{placeholder}}`s.

use super::path::{Path, PathError};

/// A parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// Text and placeholders, in order.
    pub parts: Vec<Part>,
}

/// A piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Text(String),
    /// `{{value}}`: the value the assertion failed on.
    Value,
    /// `{{first}}`: where a `unique` value was seen first.
    First,
    /// `{{path}}`: the value at a path, and the byte offset of the path in the template.
    Path(Path, usize),
}

impl Template {
    /// Parses a template.
    pub(super) fn parse(text: &str) -> Result<Self, PathError> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut offset = 0;
        while let Some((before, after)) = rest.split_once("{{") {
            let open = before.len();
            if open > 0 {
                parts.push(Part::Text(before.to_owned()));
            }
            let Some((inner, remainder)) = after.split_once("}}") else {
                return Err(PathError {
                    message: "a `{{` placeholder is not closed".into(),
                    help: Some("write placeholders as `{{value}}` or `{{spec.displayName}}`".into()),
                    at: (offset + open, 2),
                });
            };
            let name = inner.trim();
            let start = offset + open + 2 + (inner.len() - inner.trim_start().len());
            parts.push(match name {
                "value" => Part::Value,
                "first" => Part::First,
                _ => {
                    let path =
                        Path::parse(name).map_err(|e| PathError { at: (start + e.at.0, e.at.1), ..e })?;
                    Part::Path(path, start)
                }
            });
            offset += open + 2 + inner.len() + 2;
            rest = remainder;
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        Ok(Self { parts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_text_and_placeholders() {
        let template = Template::parse("`{{ name }}` is {{value}}; first {{first}}").unwrap();
        assert_eq!(template.parts.len(), 6);
        assert!(matches!(&template.parts[1], Part::Path(path, 4) if path.text == "name"));
        assert_eq!(Template::parse("oops {{value").unwrap_err().at, (5, 2));
    }
}
