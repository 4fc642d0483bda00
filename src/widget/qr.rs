//! The payment address as a QR code in SVG, drawn from `qrcodegen`'s module matrix: one path
//! of horizontal runs on a white tile with the standard 4-module quiet zone, so scanners read
//! it in the dark theme too.

use qrcodegen::{QrCode, QrCodeEcc};

const QUIET_ZONE: i32 = 4;

/// An SVG QR code of `text` labelled for screen readers, or `None` when the text is empty or
/// too long for a QR code.
pub fn qr_svg(text: &str, label: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = qr.size();
    let full = size + 2 * QUIET_ZONE;
    let mut path = String::new();
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !qr.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < size && qr.get_module(x, y) {
                x += 1;
            }
            path.push_str(&format!(
                "M{} {}h{}v1h-{}z",
                start + QUIET_ZONE,
                y + QUIET_ZONE,
                x - start,
                x - start
            ));
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {full} {full}\" role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\"><rect width=\"{full}\" height=\"{full}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
        super::sanitize::escape(label)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the SVG back into a module grid (the inverse of the drawing above).
    fn modules(svg: &str) -> Vec<Vec<bool>> {
        let full: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        let mut grid = vec![vec![false; full]; full];
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        for run in d.split('M').filter(|r| !r.is_empty()) {
            let (xy, rest) = run.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let len: usize = rest.split('v').next().unwrap().parse().unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            for cell in &mut grid[y][x..x + len] {
                *cell = true;
            }
        }
        grid
    }

    #[test]
    fn draws_every_module_of_the_code() {
        let text = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh";
        let svg = qr_svg(text, "BTC address").unwrap();
        let qr = QrCode::encode_text(text, QrCodeEcc::Medium).unwrap();
        let grid = modules(&svg);
        assert_eq!(grid.len() as i32, qr.size() + 8);
        for (y, row) in grid.iter().enumerate() {
            for (x, dark) in row.iter().enumerate() {
                let (qx, qy) = (x as i32 - QUIET_ZONE, y as i32 - QUIET_ZONE);
                assert_eq!(*dark, qr.get_module(qx, qy), "module {x},{y}");
            }
        }
        // The finder pattern's corner sits right after the quiet zone.
        assert!(grid[4][4] && !grid[3][3]);
    }

    #[test]
    fn label_is_escaped_and_impossible_codes_are_none() {
        let svg = qr_svg("x", "a\"<b>").unwrap();
        assert!(svg.contains("aria-label=\"a&quot;&lt;b&gt;\""));
        assert_eq!(qr_svg("", "x"), None);
        assert_eq!(qr_svg(&"x".repeat(5000), "x"), None);
    }
}
