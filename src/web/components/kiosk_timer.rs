//! Exhibition mode: after `idle_seconds` without a touch or key, the answers are
//! cleared for the next visitor. The last minute is counted down where all can see it.

use crate::Lang;
use gloo::events::EventListener;
use gloo::timers::callback::Interval;
use yew::prelude::*;

/// How long before the reset the countdown shows.
const WARN_SECONDS: u32 = 60;

#[derive(Properties, PartialEq)]
pub struct KioskTimerProps {
    pub idle_seconds: u32,
    pub lang: Lang,
    /// Nothing to clear, nothing to count down.
    pub has_answers: bool,
    pub on_reset: Callback<()>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[function_component(KioskTimer)]
pub fn kiosk_timer(props: &KioskTimerProps) -> Html {
    let last_activity = use_mut_ref(now_ms);
    let remaining = use_state(|| props.idle_seconds);
    {
        // Any touch, click, key or scroll anywhere counts as someone still there.
        let last = last_activity.clone();
        use_effect_with((), move |_| {
            let window = gloo::utils::window();
            let listeners: Vec<EventListener> = ["pointerdown", "keydown", "input", "wheel", "touchstart"]
                .into_iter()
                .map(|name| {
                    let last = last.clone();
                    EventListener::new(&window, name, move |_| *last.borrow_mut() = now_ms())
                })
                .collect();
            move || drop(listeners)
        });
    }
    {
        let (last, remaining, on_reset) = (last_activity.clone(), remaining.clone(), props.on_reset.clone());
        use_effect_with((props.idle_seconds, props.has_answers), move |&(idle, has_answers)| {
            *last.borrow_mut() = now_ms();
            remaining.set(idle);
            let tick = Interval::new(1_000, move || {
                let idle_for = ((now_ms() - *last.borrow()) / 1000.0).max(0.0) as u32;
                let left = idle.saturating_sub(idle_for);
                if left == 0 {
                    *last.borrow_mut() = now_ms();
                    if has_answers {
                        on_reset.emit(());
                    }
                    remaining.set(idle);
                } else {
                    remaining.set(left);
                }
            });
            move || drop(tick)
        });
    }
    let lang = props.lang;
    let minutes = props.idle_seconds / 60;
    html! {
        <>
            <p class="kiosk-note">{ match lang {
                Lang::Zh => format!("展示模式：{minutes} 分钟无操作后自动清空回答。"),
                Lang::En => format!("Exhibition mode: answers are cleared after {minutes} min without use."),
            } }</p>
            if props.has_answers && *remaining <= WARN_SECONDS {
                <div class="kiosk-countdown" role="timer" aria-live="polite" id="kiosk-countdown">
                    <span>{ match lang {
                        Lang::Zh => format!("{} 秒后清空回答，供下一位访客使用。", *remaining),
                        Lang::En => format!("Answers will be cleared in {} s for the next visitor.", *remaining),
                    } }</span>
                    // The click itself is the activity that restarts the wait.
                    <button type="button">{ lang.pick("继续使用", "Keep going") }</button>
                </div>
            }
        </>
    }
}
