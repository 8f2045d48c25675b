//! `passerelle matrix`: every ordered pair of fiches and its scores, as CSV.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use passerelle_core::engine::{Axis, Engine, MatrixRow, MatrixSink};
use passerelle_core::text::fr_int;

use super::catalog;
use crate::args::MatrixArgs;
use crate::context::Context;

/// CSV writer of the matrix: `,` and `.` decimals, or `;` and `,` decimals
/// for French spreadsheets (`--excel`). Unavailable values are empty fields.
struct CsvSink<W: Write> {
    out: W,
    excel: bool,
    line: String,
    rows: u64,
}

impl<W: Write> CsvSink<W> {
    fn header(&mut self) -> std::io::Result<()> {
        let sep = if self.excel { ";" } else { "," };
        let mut cols = vec!["source", "target"];
        cols.extend(Axis::ALL.iter().map(|a| a.name()));
        cols.push("score");
        writeln!(self.out, "{}", cols.join(sep))
    }

    fn push(&mut self, v: Option<f64>) {
        use std::fmt::Write as _;
        self.line.push(if self.excel { ';' } else { ',' });
        if let Some(v) = v {
            let start = self.line.len();
            // Shortest representation that reads back to the same f64.
            let _ = write!(self.line, "{v}");
            if self.excel {
                let tail = self.line.split_off(start).replace('.', ",");
                self.line.push_str(&tail);
            }
        }
    }
}

impl<W: Write> MatrixSink for CsvSink<W> {
    type Error = std::io::Error;
    fn row(&mut self, row: MatrixRow<'_>) -> std::io::Result<()> {
        self.line.clear();
        self.line.push_str(row.source);
        self.line.push(if self.excel { ';' } else { ',' });
        self.line.push_str(row.target);
        for a in Axis::ALL {
            self.push(row.scores.get(a));
        }
        self.push(row.score);
        self.line.push('\n');
        self.rows += 1;
        self.out.write_all(self.line.as_bytes())
    }
}

pub fn matrix(ctx: &Context, args: MatrixArgs) -> anyhow::Result<()> {
    let w = args.weights.unwrap_or_default();
    let catalog = catalog(ctx)?;
    let engine = Engine::new(&catalog);
    let path = &args.out;
    let write = |out: Box<dyn Write>| -> std::io::Result<u64> {
        let mut sink = CsvSink {
            out: std::io::BufWriter::with_capacity(1 << 20, out),
            excel: args.excel,
            line: String::new(),
            rows: 0,
        };
        sink.header()?;
        engine.write_matrix(&w, &mut sink)?;
        sink.out.flush()?;
        Ok(sink.rows)
    };
    let rows = if path == Path::new("-") {
        write(Box::new(std::io::stdout().lock()))
    } else {
        let file = std::fs::File::create(path)
            .with_context(|| format!("écriture de {} impossible", path.display()))?;
        write(Box::new(file))
    }
    .with_context(|| format!("écriture de {} impossible", path.display()))?;
    if path != Path::new("-") {
        eprintln!("{} couples écrits dans {}", fr_int(rows), path.display());
    }
    Ok(())
}
