pub mod benefit_card;
pub mod question;
pub mod questionnaire;
pub mod results;
pub mod share_panel;
