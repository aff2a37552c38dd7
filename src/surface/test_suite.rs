//! The existing test suite: how many tests are written against the old framework. Tests are
//! rewritten, not ported (the test client, fixtures and app factory all change), so the plan
//! counts them.

use crate::inventory::TestFile;

/// The test functions and methods of one test file (`def test...`, sync or async); None
/// for a helper module without tests.
pub fn count(rel: &str, text: &str) -> Option<TestFile> {
    let tests = text
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            let t = t.strip_prefix("async ").unwrap_or(t).trim_start();
            t.strip_prefix("def ")
                .is_some_and(|rest| rest.trim_start().starts_with("test"))
        })
        .count();
    (tests > 0).then(|| TestFile {
        file: rel.to_string(),
        tests,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_functions_and_methods() {
        let src = "import x\ndef test_a():\n    pass\nclass T:\n    def test_b(self): pass\n    async def test_c(self): pass\n    def helper(self): pass\n# def test_commented\n";
        assert_eq!(count("tests/t.py", src).unwrap().tests, 3);
        assert!(count("tests/conftest.py", "def fixture():\n    pass\n").is_none());
    }
}
