//! Print the embedded 2020 report in both languages.
fn main() -> Result<(), fupin::Error> {
    let r = fupin::report::report(
        &fupin::Policy::chaoyang_2020(),
        &fupin::data::PlanData::chaoyang_2020(),
    )?;
    print!("{}", r.to_text(fupin::Lang::Zh));
    print!("{}", r.to_text(fupin::Lang::En));
    Ok(())
}
