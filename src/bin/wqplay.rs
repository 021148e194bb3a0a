//! `wqplay`: the command-line tool over the simulation.
fn main() {}
