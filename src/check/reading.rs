//! Reading one file the way every command reads it, and the catalog extended with the APIs that
//! exported service principals publish: shared by `check`, `import` and `simulate`.

use std::borrow::Cow;
use std::path::Path;

use crate::catalog::Catalog;
use crate::discover;
use crate::load::{self, ReadProblem};
use crate::native::{self, Lookup, Resource};
use crate::options::Options;
use crate::schema::Schemas;
use crate::validate::{self, CheckedFile};

/// Parses and validates what was read from `path`: native documents are recognised with the
/// configuration's `tenants:` directories, and permission ids are named with `lookup`.
pub(crate) fn read_file(
    options: &Options,
    path: &Path,
    read: Result<Vec<u8>, ReadProblem>,
    lookup: &dyn Lookup,
    schemas: &Schemas,
) -> CheckedFile {
    let name = discover::display_name(path, &options.base);
    let context = native::Context { tenants: &options.tenant_dirs, base: &options.base, lookup };
    validate::validate(load::from_read(path, name, read, options.limits, context), schemas)
}

/// `catalog` with the APIs that `resources` publish; borrowed when there are none, so that a run
/// without service principals copies nothing.
pub(crate) fn with_resources<'a, 'r>(
    catalog: &'a Catalog,
    resources: impl IntoIterator<Item = &'r Resource>,
) -> Cow<'a, Catalog> {
    let mut extended = Cow::Borrowed(catalog);
    for resource in resources {
        extended.to_mut().add_resource(resource);
    }
    extended
}
