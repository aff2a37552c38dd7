//! Terminal colour: on when standard output is a terminal and `NO_COLOR` is unset (or empty),
//! never in a file or a pipe. Styles come from `anstyle`; with colour off every helper returns
//! the text unchanged, so the plain output is byte-identical to what a pipe gets.

use anstyle::{AnsiColor, Style};
use std::io::IsTerminal;
use std::path::Path;

/// Whether the terminal report written to `output` (None: standard output) gets colour.
pub fn color_for(output: Option<&Path>) -> bool {
    crate::output::to_file(output).is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    fn apply(self, style: Style, s: &str) -> String {
        if self.on && !s.is_empty() {
            format!("{}{s}{}", style.render(), style.render_reset())
        } else {
            s.to_string()
        }
    }
    pub fn bold(self, s: &str) -> String {
        self.apply(Style::new().bold(), s)
    }
    pub fn dim(self, s: &str) -> String {
        self.apply(Style::new().dimmed(), s)
    }
    /// Section headings.
    pub fn heading(self, s: &str) -> String {
        self.apply(
            Style::new().bold().fg_color(Some(AnsiColor::Cyan.into())),
            s,
        )
    }
    /// Effort figures.
    pub fn effort(self, s: &str) -> String {
        self.apply(
            Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            s,
        )
    }
    /// Rule ids.
    pub fn rule(self, s: &str) -> String {
        self.apply(Style::new().fg_color(Some(AnsiColor::Blue.into())), s)
    }
    /// Warnings and unresolved items.
    pub fn warn(self, s: &str) -> String {
        self.apply(Style::new().fg_color(Some(AnsiColor::Red.into())), s)
    }
    pub fn good(self, s: &str) -> String {
        self.apply(Style::new().fg_color(Some(AnsiColor::Green.into())), s)
    }
}
