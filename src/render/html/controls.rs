//! The controls of the profile's baseline, laid out as ScubaGear's report lays them out: one table
//! per tenant with the control's id (linked to the baseline's text), what it requires, the result,
//! the rules behind it and the details (why it is not judged, or the findings that fail it, each
//! linked to the finding). Over several tenants, a table of each control at its worst comes first.

use super::findings::Anchors;
use super::markup::{Cell, Html};
use super::status_badge;
use crate::report::{ControlVerdict, Controls, Status};

pub(super) fn write(html: &mut Html, view: &Controls, anchors: &Anchors<'_>) {
    html.raw("<p>");
    match &view.title {
        Some(title) => html.raw("The profile follows ").prose(title).raw(". "),
        None => html.raw("The profile names no baseline. "),
    };
    html.raw("A control fails when a rule behind it has a finding, suppressed and baselined ones included; it is not judgeable when the inputs do not state what a rule reads, and never passed then.</p>\n");
    if view.tenants.is_empty() {
        let caption = format!("Controls of profile `{}`: {}", view.profile, tally(&view.controls));
        table(html, &caption, &view.controls, anchors);
        return;
    }
    let caption = format!(
        "Over all {} tenants, each control at its worst: {}",
        view.tenants.len(),
        tally(&view.controls)
    );
    table(html, &caption, &view.controls, anchors);
    for tenant in &view.tenants {
        html.raw("<h3>Tenant ").code(&tenant.tenant).raw("</h3>\n");
        let caption = format!("Controls in tenant `{}`: {}", tenant.tenant, tally(&tenant.controls));
        table(html, &caption, &tenant.controls, anchors);
    }
}

/// `2 fail, 1 pass`: how many controls have each verdict, worst first.
fn tally(controls: &[ControlVerdict]) -> String {
    let counts: Vec<String> = [Status::Fail, Status::NotJudgeable, Status::Pass, Status::NotApplicable]
        .into_iter()
        .map(|status| (status, controls.iter().filter(|c| c.status == status).count()))
        .filter(|(_, count)| *count > 0)
        .map(|(status, count)| format!("{count} {}", status.as_str()))
        .collect();
    if counts.is_empty() { "none".to_owned() } else { counts.join(", ") }
}

fn table(html: &mut Html, caption: &str, controls: &[ControlVerdict], anchors: &Anchors<'_>) {
    let headers = ["Control ID", "Requirement", "Result", "Rules", "Details"];
    html.table("controls sortable", caption, &headers, |html| {
        for control in controls {
            let mut id = Html::new();
            match &control.url {
                Some(url) => id.link(url, &control.id),
                None => id.text(&control.id),
            };
            let mut rules = Html::new();
            for (index, rule) in control.rules.iter().enumerate() {
                if index > 0 {
                    rules.raw(" ");
                }
                rules.code(rule);
            }
            let badge = status_badge(control.status);
            html.row(
                badge.class,
                vec![
                    Cell::Html(id),
                    Cell::Text(control.title.as_deref().unwrap_or("")),
                    Cell::Badge(badge),
                    Cell::Html(rules),
                    Cell::Html(details(control, anchors)),
                ],
            );
        }
    });
}

/// Why the control is not judged, and the findings that fail it, each a link to the finding.
fn details(control: &ControlVerdict, anchors: &Anchors<'_>) -> Html {
    let mut html = Html::new();
    if let Some(reason) = &control.reason {
        html.prose(reason);
    }
    if control.findings.is_empty() {
        if control.reason.is_none() && control.status == Status::Pass {
            html.raw("every rule ran and found nothing");
        }
        return html;
    }
    html.raw("<ul>");
    for finding in &control.findings {
        let place =
            finding.line.map_or_else(|| finding.file.clone(), |line| format!("{}:{line}", finding.file));
        html.raw("<li>");
        let text = format!("{} at {place}", finding.code);
        match anchors.of(finding) {
            Some(anchor) => html.link(&anchor, &text),
            None => html.text(&text),
        };
        if finding.suppressed {
            html.raw(" (suppressed)");
        }
        html.raw("</li>");
    }
    html.raw("</ul>");
    html
}
