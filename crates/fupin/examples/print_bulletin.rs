//! Print the June 2020 bulletin of the illustrative example ledger in both languages.
fn main() -> Result<(), fupin::Error> {
    let units = fupin::spending::ledger::unit_names(&fupin::data::PlanData::chaoyang_2020());
    let ledger = fupin::spending::Ledger::from_csv(
        include_str!("../../../examples/ledger_2020.csv"),
        2020,
        &units,
    )?;
    let schedule = fupin::spending::Schedule::from_toml(include_str!(
        "../../../examples/schedule_example.toml"
    ))?;
    let june = "2020-06"
        .parse()
        .map_err(fupin::spending::SpendingError::from)?;
    let b = fupin::spending::bulletin::bulletin(&ledger, june, Some(&schedule))?;
    print!("{}", b.to_text(fupin::Lang::Zh));
    println!();
    print!("{}", b.to_text(fupin::Lang::En));
    Ok(())
}
