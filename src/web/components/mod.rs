pub mod benefit_card;
pub mod question;
pub mod results;
