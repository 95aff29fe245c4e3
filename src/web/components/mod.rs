pub mod benefit_card;
pub mod question;
pub mod questionnaire;
pub mod policy_browser;
pub mod print_report;
pub mod results;
pub mod share_panel;
pub mod subsidy_chart;
