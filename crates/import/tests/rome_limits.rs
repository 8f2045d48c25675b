//! Issue 14, row 3: crafted ROME zips. The reader checks the size an entry
//! declares and the bytes it actually yields against a cap, so neither a
//! bomb nor a lying header makes it allocate beyond the cap. Generated in a
//! temporary directory, with a small cap.

use std::io::Write;
use std::path::Path;

use passerelle_import::rome::{ReadLimits, RomeImportError, read_with};

const ENTRY: &str = "unix_grand_domaine_v460_utf8.csv";

fn write_zip(path: &Path, content: &[u8]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file(ENTRY, opts).unwrap();
    w.write_all(content).unwrap();
    w.finish().unwrap();
}

fn limits() -> ReadLimits {
    ReadLimits {
        max_file_bytes: 1024 * 1024,
    }
}

fn error(path: &Path) -> RomeImportError {
    match read_with(path, limits(), &mut |_| {}) {
        Ok(_) => panic!("archive acceptée à tort"),
        Err(e) => e,
    }
}

#[test]
fn a_small_zip_holding_a_large_entry_is_refused_by_its_declared_size() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("bombe.zip");
    write_zip(&zip, &vec![b'a'; 8 * 1024 * 1024]);
    assert!(
        std::fs::metadata(&zip).unwrap().len() < 64 * 1024,
        "l'archive est petite"
    );
    let e = error(&zip);
    assert!(matches!(e, RomeImportError::TooLarge { .. }), "{e}");
    let m = e.to_string();
    assert!(
        m.contains(ENTRY) && m.contains("8388608 octets") && m.contains("limite de 1048576 octets"),
        "{m}"
    );
}

/// Patches the uncompressed size of the only entry, in the local header
/// (offset 22) and the central directory (offset 24).
fn patch_size(bytes: &mut [u8], size: u32) {
    let find = |sig: &[u8]| bytes.windows(4).position(|w| w == sig).unwrap();
    let local = find(b"PK\x03\x04");
    let central = find(b"PK\x01\x02");
    bytes[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
    bytes[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
}

#[test]
fn a_huge_declared_size_is_refused_before_any_allocation() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("annonce.zip");
    write_zip(&zip, b"code,libelle\n");
    let mut bytes = std::fs::read(&zip).unwrap();
    patch_size(&mut bytes, 0xFFFF_FFF0);
    std::fs::write(&zip, bytes).unwrap();
    let m = error(&zip).to_string();
    assert!(m.contains("4294967280 octets"), "{m}");
}

#[test]
fn an_entry_that_lies_about_its_size_is_cut_at_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("menteur.zip");
    write_zip(&zip, &vec![b'a'; 4 * 1024 * 1024]);
    let mut bytes = std::fs::read(&zip).unwrap();
    patch_size(&mut bytes, 100);
    std::fs::write(&zip, bytes).unwrap();
    let e = error(&zip);
    let m = e.to_string();
    // Either the cap (bytes actually read) or the archive's own check of the
    // declared size stops it; never a 4 MiB read past a 1 MiB cap.
    assert!(
        m.contains("plus de 1048576") || m.contains("illisible"),
        "{m}"
    );
}

#[test]
fn a_corrupt_entry_is_refused_naming_archive_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("abime.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file(ENTRY, stored).unwrap();
    w.write_all(b"\"code_grand_domaine\",\"libelle_grand_domaine\"\n\"A\",\"Agriculture\"\n")
        .unwrap();
    w.finish().unwrap();
    // Alter one byte of the stored data: the checksum no longer matches.
    let mut bytes = std::fs::read(&zip).unwrap();
    let at = bytes.windows(11).position(|w| w == b"Agriculture").unwrap();
    bytes[at] = b'B';
    std::fs::write(&zip, bytes).unwrap();
    let e = error(&zip);
    assert!(matches!(e, RomeImportError::Zip { .. }), "{e}");
    let m = e.to_string();
    assert!(
        m.contains("abime.zip illisible") && m.contains(ENTRY),
        "{m}"
    );
}
