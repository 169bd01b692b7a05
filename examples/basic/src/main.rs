fn main() {
    println!("cargo-trust example workspace");
}
