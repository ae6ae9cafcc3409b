// Empty: the module only declares libFuzzer's driver, which -sanitize=fuzzer links in.
