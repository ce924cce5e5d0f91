//! The findings of a report, grouped by tenant and then by file, each with its source snippet (the
//! lines and underlines of `render/snippet.rs`, the spans marked), its message, help and
//! documentation link; the suppressed and baselined findings with their reasons, in a collapsed
//! part; and the notes on what was not judged.

use std::collections::{BTreeMap, HashMap};

use super::markup::Html;
use super::severity_badge;
use crate::diagnostic::{Diagnostic, SuppressionKind};
use crate::render::snippet;
use crate::report::{ControlFinding, Report};

/// Each finding's anchor (`f` and its index in the report), found from what a control says of it.
pub(crate) struct Anchors<'a> {
    by_place: HashMap<(&'a str, &'a str, Option<usize>), usize>,
}

impl<'a> Anchors<'a> {
    /// The anchors of `report`'s diagnostics.
    pub(crate) fn new(report: &'a Report) -> Self {
        let mut by_place = HashMap::new();
        for (index, d) in report.diagnostics.iter().enumerate() {
            by_place.entry((d.code.as_str(), d.source.name(), d.start().map(|p| p.line))).or_insert(index);
        }
        Self { by_place }
    }

    /// `#f12`: the first finding of the rule at that place.
    pub(crate) fn of(&self, finding: &ControlFinding) -> Option<String> {
        self.by_place
            .get(&(finding.code.as_str(), finding.file.as_str(), finding.line))
            .map(|index| format!("#f{index}"))
    }
}

/// The visible findings: by tenant (by name; findings tied to no tenant last), then by file in
/// report order.
pub(crate) fn write_findings(html: &mut Html, report: &Report) {
    let mut tenants: BTreeMap<Option<&str>, Vec<(usize, &Diagnostic)>> = BTreeMap::new();
    for (index, d) in report.diagnostics.iter().enumerate() {
        if d.suppression.is_none() {
            tenants.entry(d.tenant.as_deref()).or_default().push((index, d));
        }
    }
    if tenants.is_empty() {
        html.raw("<p class=\"none\"><span aria-hidden=\"true\">✓</span> No findings.</p>\n");
        return;
    }
    html.raw("<div class=\"filter\" hidden><label>Filter findings <input type=\"search\" id=\"filter\" placeholder=\"text, rule or file\"></label> ")
        .raw("<label>Severity <select id=\"severity\"><option value=\"\">all</option><option>error</option><option>warning</option><option>info</option></select></label> ")
        .raw("<output id=\"shown\"></output></div>\n");
    // Findings tied to a tenant first, by name; `None` sorts first in a map, so it is moved last.
    let mut groups: Vec<_> = tenants.into_iter().collect();
    if groups.first().is_some_and(|(tenant, _)| tenant.is_none()) {
        groups.rotate_left(1);
    }
    let several = groups.len() > 1;
    for (tenant, findings) in groups {
        html.raw("<section class=\"tenant\">\n<h3>");
        match tenant {
            Some(name) => html.raw("Tenant ").code(name),
            None if several => html.raw("Not tied to a tenant"),
            None => html.raw("All findings"),
        };
        html.raw(" <span class=\"n\">(").number(findings.len()).raw(")</span></h3>\n");
        write_by_file(html, &findings, false);
        html.raw("</section>\n");
    }
}

/// Findings grouped by file, each group under a heading; `hidden` findings say why they are hidden.
fn write_by_file(html: &mut Html, findings: &[(usize, &Diagnostic)], hidden: bool) {
    let mut start = 0;
    while let Some((_, first)) = findings.get(start) {
        let name = first.source.name();
        let end = findings
            .iter()
            .skip(start)
            .position(|(_, d)| d.source.name() != name)
            .map_or(findings.len(), |n| start + n);
        let group = findings.get(start..end).unwrap_or_default();
        html.raw("<section class=\"file\">\n<h4>").code(name);
        html.raw(" <span class=\"n\">(").number(group.len()).raw(")</span></h4>\n");
        for (index, d) in group {
            write_finding(html, *index, d, hidden);
        }
        html.raw("</section>\n");
        start = end;
    }
}

/// One finding: its severity, its code (a link to the rule's documentation), message, place,
/// snippet and help.
fn write_finding(html: &mut Html, index: usize, d: &Diagnostic, hidden: bool) {
    let badge = severity_badge(d.severity);
    html.raw("<article class=\"finding ").raw(badge.word).raw("\" id=\"f").number(index);
    // The code links to the rule's documentation.
    html.raw("\">\n<h5>").badge(badge).raw(" ").code_link(d.url.as_deref(), &d.code);
    html.raw(" ").prose(&d.message).raw("</h5>\n");
    if hidden && let Some(suppression) = &d.suppression {
        let how = match suppression.kind {
            SuppressionKind::Inline => "suppressed inline",
            SuppressionKind::Baseline => "hidden by the baseline",
        };
        html.raw("<p class=\"why\"><strong>").raw(how).raw("</strong>: ");
        if suppression.justification.is_empty() {
            html.raw("no reason given");
        } else {
            html.prose(&suppression.justification);
        }
        html.raw("</p>\n");
    }
    write_snippet(html, d);
    if let Some(help) = &d.help {
        html.raw("<p class=\"help\"><strong>help</strong>: ").prose(help).raw("</p>\n");
    }
    html.raw("</article>\n");
}

/// The place and the source lines of a finding, as the plain format lays them out, with the
/// underlined spans marked: `<mark>` for the finding's own span, `<mark class="rel">` for related
/// ones. The `^` and `-` underlines stay, so that a text browser or a printout shows them too.
fn write_snippet(html: &mut Html, d: &Diagnostic) {
    let groups = snippet::marks(d);
    let blocks = snippet::blocks(d, &groups);
    let gutter = snippet::gutter(&blocks);
    let pad = " ".repeat(gutter);
    for (index, block) in blocks.iter().enumerate() {
        // The finding's own file is the heading above it: its place is given in it.
        html.raw("<p class=\"at\">");
        match (index, d.start()) {
            (0, Some(start)) => {
                html.raw("line ").number(start.line).raw(", column ").number(start.column);
            }
            (0, None) => {
                html.raw("the file as a whole");
            }
            _ => {
                html.raw("see also ").code(&format!("{}{}", block.source.name(), block.at));
            }
        }
        html.raw("</p>\n");
        if block.lines.is_empty() {
            continue;
        }
        // Markup kept short, since a report may hold tens of thousands of snippets: `<i>` is the
        // gutter, `<b>` an underline, `<mark>` a span.
        html.raw("<pre class=\"src\">");
        for line in &block.lines {
            html.raw("<i>").source(&format!("{:>gutter$} |", line.number)).raw("</i> ");
            write_marked(html, line);
            html.raw("\n");
            for underline in &line.underlines {
                let class = if underline.mark.primary { "<b>" } else { "<b class=\"rel\">" };
                html.raw("<i>").source(&pad).raw(" |</i> ").source(&" ".repeat(underline.indent));
                html.raw(class).source(&underline.mark.symbol().to_string().repeat(underline.width));
                if let Some(label) = underline.mark.label {
                    html.raw(" ").text(label);
                }
                html.raw("</b>\n");
            }
        }
        html.raw("</pre>\n");
    }
}

/// A line's text with each underlined range in `<mark>`: where ranges overlap, the finding's own
/// span wins.
fn write_marked(html: &mut Html, line: &snippet::Line<'_>) {
    let mut cuts: Vec<usize> = vec![0, line.text.len()];
    for underline in &line.underlines {
        cuts.extend([underline.range.start, underline.range.end]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    for pair in cuts.windows(2) {
        let (from, to) = match pair {
            [from, to] => (*from, *to),
            _ => continue,
        };
        let Some(part) = line.text.get(from..to) else { continue };
        let covering = |primary: bool| {
            line.underlines
                .iter()
                .any(|u| u.mark.primary == primary && u.range.start <= from && to <= u.range.end)
        };
        let open = if covering(true) {
            Some("<mark>")
        } else if covering(false) {
            Some("<mark class=\"rel\">")
        } else {
            None
        };
        match open {
            Some(open) => html.raw(open).source(part).raw("</mark>"),
            None => html.source(part),
        };
    }
}

/// The findings that inline suppressions and the baseline hide, each with its reason, in a
/// collapsed part; and how many baseline entries matched nothing.
pub(crate) fn write_suppressed(html: &mut Html, report: &Report) {
    let hidden: Vec<(usize, &Diagnostic)> =
        report.diagnostics.iter().enumerate().filter(|(_, d)| d.suppression.is_some()).collect();
    let summary = &report.summary;
    html.raw("<p>These findings are not counted above: ").number(summary.suppressed - summary.baselined);
    html.raw(" suppressed inline, ").number(summary.baselined).raw(" hidden by the baseline. ");
    html.raw("They still fail the controls they belong to. Stale baseline entries (matching no finding): ");
    html.number(summary.stale_baseline).raw(".</p>\n");
    if hidden.is_empty() {
        return;
    }
    html.raw("<details>\n<summary>Show the ")
        .number(hidden.len())
        .raw(" hidden findings and why</summary>\n");
    write_by_file(html, &hidden, true);
    html.raw("</details>\n");
}

/// The notes: what was not judged, and why; then the others (why files were skipped).
pub(crate) fn write_notes(html: &mut Html, report: &Report) {
    let (unjudged, other): (Vec<_>, Vec<_>) = report.notes.iter().partition(|note| note.unjudged);
    if unjudged.is_empty() {
        html.raw(
            "<p class=\"none\">Every rule ran on every document it judges: nothing was left unjudged.</p>\n",
        );
    } else {
        html.raw("<p>What the inputs did not let consentlint judge. A control that depends on it is not judgeable, never passed.</p>\n<ul class=\"notes\">\n");
        for note in unjudged {
            html.raw("<li>").prose(&note.message).raw("</li>\n");
        }
        html.raw("</ul>\n");
    }
    if !other.is_empty() {
        html.raw("<h3>Other notes</h3>\n<ul class=\"notes\">\n");
        for note in other {
            html.raw("<li>").prose(&note.message).raw("</li>\n");
        }
        html.raw("</ul>\n");
    }
}
